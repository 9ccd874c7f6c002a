export * from './schemas';
export * from './riskStream';
