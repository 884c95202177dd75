import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; quiet under jest unless POWERTOOLS_LOG_LEVEL says otherwise. */
export const createLogger = (serviceName = 'rotation-api'): Logger =>
  new Logger({
    serviceName,
    logLevel: (process.env.POWERTOOLS_LOG_LEVEL ?? (process.env.JEST_WORKER_ID ? 'SILENT' : 'INFO')) as 'INFO',
  });
