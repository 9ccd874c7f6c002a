export * from './types';
export * from './validation';
export * from './records';
export * from './cloudflareErrors';
export * from './cloudflare';
export * from './route53Errors';
export * from './route53Records';
export * from './route53';
