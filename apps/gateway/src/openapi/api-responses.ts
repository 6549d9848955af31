import { applyDecorators } from '@nestjs/common';
import { ApiQuery, ApiResponse } from '@nestjs/swagger';

/** CAM's error shape, the body of every 4xx and 5xx answer. */
export const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['statusCode', 'name', 'code', 'message'],
      properties: {
        statusCode: { type: 'integer', example: 400 },
        name: { type: 'string', example: 'BAD_REQUEST' },
        code: { type: 'string', example: 'INVALID_INPUT' },
        message: { type: 'string', description: 'names the field and the rule', example: "service.catalog_metadata.name: is required and must be a non-empty string" },
      },
    },
  },
};

const ERRORS: Record<number, string> = {
  400: 'Bad input: the message names the field and the rule; nothing was written',
  401: 'No bearer token, or one that is not valid (unknown, expired, wrongly signed, for another audience)',
  403: 'The caller lacks the role the call needs (the message names it), or may not act for the tenantId asked for',
  404: 'No such record for this tenant',
  409: 'The call conflicts with the state (a name or version in use, live instances, a running action)',
  413: 'The body is larger than the call takes',
  415: 'The body is not in the format the call takes',
  429: 'Over a rate limit (per token or per tenant; the message names it): try again after Retry-After seconds',
  419: "ResourceLockError: the instance's action is still in progress and holds its lock (1 hour from its start); cleanup with force: true, or try after it expires",
  503: 'A dependency (the database) is not reachable; nothing was written, try again',
};

/** CAM's error body, as JSON whatever the call's success answers are (an icon, an event stream). */
export function errorContent(schema: object = ERROR_SCHEMA) {
  return { 'application/json': { schema } };
}

/**
 * The error answers a call can give, each with CAM's error body. On every authenticated call:
 * 400 (a query or path value no call takes: a NUL character, a malformed id), 401, 403 and 429.
 */
export function ApiErrors(...statuses: number[]) {
  // whatever takes a body may also be sent one that is too large
  const all = new Set([400, 401, 403, 429, ...statuses, ...(statuses.includes(415) ? [413] : [])]);
  return applyDecorators(
    ...[...all].map((status) =>
      ApiResponse({ status, description: ERRORS[status], content: errorContent(), ...(status === 429 ? { headers: { 'Retry-After': { description: 'seconds until the limit lets calls through again', required: true, schema: { type: 'integer' } } } } : {}) }),
    ),
  );
}

/** The success answer, with its schema and an example (from the CAM seed where it has one). */
export function ApiOk(schema: object, example?: unknown, status = 200, description = 'OK', headers?: Record<string, { description: string; schema: { type: string } }>) {
  return ApiResponse({ status, description, schema: { ...schema, ...(example !== undefined ? { example } : {}) }, ...(headers ? { headers } : {}) });
}

/** The headers a paged list may answer with. */
export const LIST_HEADERS = {
  'X-Filter-Limit-Capped': { description: 'set when filter[limit] was above the maximum (500) and was capped', schema: { type: 'string' } },
  'X-Next-Cursor': { description: 'set when the page is full (keyset lists): pass it as filter[cursor] for the next page', schema: { type: 'string' } },
};

/** The query parameters every CAM call takes (DESIGN §3); icons take no namespace. */
export function ApiCamQuery(options: { namespace?: boolean } = {}) {
  const names = ['tenantId', 'ace_orgGuid', ...(options.namespace === false ? [] : ['cloudOE_spaceGuid'])];
  return applyDecorators(...names.map((name) => ApiQuery({ name, required: false })));
}
