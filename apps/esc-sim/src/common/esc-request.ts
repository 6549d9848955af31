import {
  BadRequestException,
  ExecutionContext,
  NotAcceptableException,
  UnsupportedMediaTypeException,
  createParamDecorator,
} from '@nestjs/common';
import { IncomingHttpHeaders, IncomingMessage } from 'node:http';

/** The request headers ESC looks at, as the controller hands them over. */
export interface EscRequestHeaders {
  contentType?: string;
  accept?: string;
  callback?: string;
  callbackEscEvents?: string;
}

/** The reference: ids are 1..72 characters of RFC 3986 "unreserved" minus '~'. */
const INTERNAL_ID = /^[A-Za-z0-9._-]{1,72}$/;

/** `field` names the id in the message, e.g. internal_deployment_id or internal_tenant_id. */
export function assertValidInternalId(id: string, field = 'internal_deployment_id'): void {
  if (!INTERNAL_ID.test(id)) {
    throw new BadRequestException(`Invalid ${field} '${id}': 1..72 characters from A-Z a-z 0-9 - . _ are allowed`);
  }
}

/** Where the callbacks of an accepted request go. */
export interface CallbackUrls {
  callbackUrl?: string;
  eventsCallbackUrl?: string;
}

/** Validates both callback headers (400 for anything but an absolute http(s) URL). */
export function callbackUrls(headers: EscRequestHeaders): CallbackUrls {
  const url = callbackUrl(headers.callback, 'Callback');
  const eventsUrl = callbackUrl(headers.callbackEscEvents, 'Callback-ESC-Events');
  return { ...(url !== undefined && { callbackUrl: url }), ...(eventsUrl !== undefined && { eventsCallbackUrl: eventsUrl }) };
}

/** From a fault rule: how the answer to an accepted request goes wrong. */
export interface AnswerFault {
  /** Answer this many milliseconds late. */
  delayMs?: number;
  /** Destroy the connection instead of answering (the request is applied all the same). */
  lose?: true;
}

/** The 200 answer to POST/PUT/DELETE; AcceptedRequestInterceptor sends it. */
export interface AcceptedRequest {
  transactionId: string;
  /** XML answer body. */
  body: string;
  answer?: AnswerFault;
}

/** The answer to an accepted operation request, keeping its answer fault if it has one. */
export function acceptedRequest(request: { transactionId: string; answer?: AnswerFault }, body: string): AcceptedRequest {
  return { transactionId: request.transactionId, body, ...(request.answer && { answer: request.answer }) };
}

/** Handler parameter: the request's EscRequestHeaders. */
export const EscHeaders = createParamDecorator((_: unknown, context: ExecutionContext) =>
  escHeaders(context.switchToHttp().getRequest<IncomingMessage>().headers),
);

function escHeaders(headers: IncomingHttpHeaders): EscRequestHeaders {
  return {
    contentType: headers['content-type'],
    accept: headers.accept,
    callback: firstHeader(headers.callback),
    callbackEscEvents: firstHeader(headers['callback-esc-events']),
  };
}

export function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

export function assertXmlBody(contentType: string | undefined): void {
  if (!isXmlMediaType(contentType?.split(';')[0] ?? '')) {
    throw new UnsupportedMediaTypeException(
      `Content-Type must be application/xml, got ${contentType ? `'${contentType}'` : 'none'}`,
    );
  }
}

export function assertAcceptsXml(accept: string | undefined): void {
  if (accept === undefined || accept.trim() === '') return;
  const acceptable = accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    const refused = params.some((param) => /^q=0(\.0*)?$/.test(param));
    return !refused && (['*/*', 'application/*', 'text/*'].includes(type) || isXmlMediaType(type));
  });
  if (!acceptable) {
    throw new NotAcceptableException(`ESC answers application/xml, which Accept '${accept}' does not allow`);
  }
}

/** Validates the Callback / Callback-ESC-Events header value; undefined when absent. */
export function callbackUrl(value: string | undefined, headerName: string): string | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new BadRequestException(`${headerName} header must be an absolute http(s) URL, got '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BadRequestException(`${headerName} header must be an absolute http(s) URL, got '${value}'`);
  }
  return url.toString();
}

function isXmlMediaType(type: string): boolean {
  const normalized = type.trim().toLowerCase();
  return normalized === 'application/xml' || normalized === 'text/xml' || normalized.endsWith('+xml');
}
