export * from './schemas';
export * from './chain';
export * from './store';
export * from './fileStore';
export * from './lock';
export * from './ledger';
export * from './stalled';
