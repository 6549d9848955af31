import { BadRequestException, NotAcceptableException, UnsupportedMediaTypeException } from '@nestjs/common';

/** The request headers ESC looks at, as the controller hands them over. */
export interface EscRequestHeaders {
  contentType?: string;
  accept?: string;
  callback?: string;
  callbackEscEvents?: string;
}

/** The reference: ids are 1..72 characters of RFC 3986 "unreserved" minus '~'. */
const INTERNAL_ID = /^[A-Za-z0-9._-]{1,72}$/;

export function assertValidInternalId(id: string): void {
  if (!INTERNAL_ID.test(id)) {
    throw new BadRequestException(
      `Invalid internal_deployment_id '${id}': 1..72 characters from A-Z a-z 0-9 - . _ are allowed`,
    );
  }
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
