import { XMLBuilder } from 'fast-xml-parser';

/** ESC's notification payloads (and the sim's own answers) live in the NETCONF base namespace. */
export const NETCONF_BASE_NAMESPACE = 'urn:ietf:params:xml:ns:netconf:base:1.0';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  indentBy: '  ',
  // ESC writes empty fields as <port_uuid></port_uuid>, not <port_uuid/>.
  suppressEmptyNode: false,
});

/** Serialises { rootTag: content } with the XML declaration ESC puts on its bodies. */
export function xmlDocument(rootTag: string, content: Record<string, unknown>): string {
  return XML_DECLARATION + builder.build({ [rootTag]: { '@_xmlns': NETCONF_BASE_NAMESPACE, ...content } });
}

/** create, update, delete, or the <operation> of a deployment or VM operation request. */
export type AcceptedOperation =
  | 'create'
  | 'update'
  | 'delete'
  | 'stop'
  | 'start'
  | 'reboot'
  | 'enable_monitoring'
  | 'disable_monitoring'
  | 'recovery_do'
  | 'snapshot';

/**
 * Body of the 200 answer to POST/PUT/DELETE and to the deployment and VM operations (the
 * reference documents none; clients should only need the esc-transaction-id header). `subject`
 * names the target, e.g. its internal id.
 */
export function acceptedXml(operation: AcceptedOperation, subject: Record<string, string>, transactionId: string): string {
  return xmlDocument('esc_request', {
    operation,
    ...subject,
    transaction_id: transactionId,
    status_message: 'Request accepted',
  });
}
