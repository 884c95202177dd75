import type { ApiDeps } from '../deps';
import type { Route } from '../http/route';
import { auditRoutes } from './auditRoutes';
import { rotationRoutes } from './rotationRoutes';
import { songbookRoutes } from './songbookRoutes';

/** Every route of API.md, as one list: the Lambda, `npm start` and the CDK app's API Gateway routes use it. */
export const API_ROUTES: readonly Route<ApiDeps>[] = [...rotationRoutes, ...auditRoutes, ...songbookRoutes];
