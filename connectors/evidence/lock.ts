/**
 * The evidence store's chain lock is the shared file lock of connectors/core (one implementation for every
 * file-backed store); these names stay for the store and its callers.
 */
export { acquireFileLock, withFileLock, type FileLockOptions as LockOptions } from '../core/fileLock';
