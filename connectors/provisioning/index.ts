/**
 * Cloud provisioning, one module per capability (issue 10): databases (RDS, a self-hosted PostgreSQL server,
 * Secrets Manager as the vault), the platform's SQL migrations, deployment pipelines (GitLab CI, Jenkins, HCP
 * Terraform, with their notification webhooks) and DNS records (Cloudflare, Route 53). Namespaced, because each
 * capability has its own `types` and error mappers.
 */
export * as database from './database';
export * as migrations from './migrations';
export * as pipeline from './pipeline';
export * as dns from './dns';
export * as tenantData from './tenantData';
