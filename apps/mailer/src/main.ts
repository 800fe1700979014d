import { loadConfig } from '@hotrepos/config';
import { runService } from '@hotrepos/runtime';
import { startMailer } from './app.js';
import { MailerEnv } from './config.js';

// reportErrors: false, because the mailer's own failures are logged: mailed, they could feed themselves.
await runService({ name: 'mailer', reportErrors: false, config: loadConfig(MailerEnv), start: (deps) => startMailer(deps) });
