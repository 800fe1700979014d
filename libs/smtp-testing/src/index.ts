export { type ReceivedMail, type SmtpServerOptions, type SmtpTestServer, startSmtpServer } from './smtp-server.js';
export { type SmtpFailure, type SmtpRefusal, type SmtpStage } from './scripted-replies.js';
export { SmtpServerStartError } from './smtp-server-start-error.js';
