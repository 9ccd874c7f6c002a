export * from './schemas';
export * from './evaluate';
