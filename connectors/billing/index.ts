export * from './stripe';
