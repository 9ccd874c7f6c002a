/**
 * End to end, the way a user lives it: the packed pack installed into real n8n 2.40 (Node 24), the templates
 * imported and published, signed webhooks in over HTTP, vendor APIs answered by the sandbox, and every outcome
 * read back from the sandbox's state, the SMTP sink, the evidence store and n8n's public API.
 * One stack for all scenarios; the sandbox is reset before each (n8n, its executions and receipts persist).
 */
import { afterCommit } from './scenarios/afterCommit';
import { authentication } from './scenarios/authentication';
import { batchCompensation } from './scenarios/batchCompensation';
import { compensation } from './scenarios/compensation';
import { compensationFailures } from './scenarios/compensationFailures';
import { dealDesk } from './scenarios/dealDesk';
import { duplicates } from './scenarios/duplicates';
import { enterpriseIntake } from './scenarios/enterpriseIntake';
import { enterpriseProvisioning } from './scenarios/enterpriseProvisioning';
import { happyPath } from './scenarios/happyPath';
import { leadRouting } from './scenarios/leadRouting';
import { malformed } from './scenarios/malformed';
import { policyBlocked } from './scenarios/policyBlocked';
import { quoteToCash } from './scenarios/quoteToCash';
import { reconciler } from './scenarios/reconciler';
import { revOpsWhatIf } from './scenarios/revOpsWhatIf';
import { selfServiceDeclines } from './scenarios/selfServiceDeclines';
import { selfServiceFailures } from './scenarios/selfServiceFailures';
import { selfServiceSignup } from './scenarios/selfServiceSignup';
import { stripeRetries } from './scenarios/stripeRetries';
import { supportOnboarding } from './scenarios/supportOnboarding';
import { tierUpgrade } from './scenarios/tierUpgrade';
import { vendorSpecLayer } from './scenarios/vendorSpecLayer';
import { e2e, startE2e, stopE2e } from './support/context';

// A cold cache installs Node 24 + n8n first (≈5–10 min, once per machine).
beforeAll(() => startE2e(), 20 * 60_000);
afterAll(() => stopE2e(), 60_000);
beforeEach(() => e2e().sb.reset());

happyPath();
duplicates();
authentication();
policyBlocked();
compensation();
compensationFailures();
afterCommit();
stripeRetries();
malformed();
quoteToCash();
batchCompensation();
selfServiceSignup();
selfServiceFailures();
selfServiceDeclines();
enterpriseProvisioning();
enterpriseIntake();
tierUpgrade();
supportOnboarding();
revOpsWhatIf();
leadRouting();
dealDesk();
// Kills n8n (SIGKILL) and starts it again on the same data; later scenarios run on the restarted instance.
reconciler();
vendorSpecLayer();
