import { element } from './xml-text.js';

/**
 * STS GetCallerIdentity's response, in STS's own Query format (namespace 2011-06-15): the account
 * root as the caller, since Stockade keys belong to accounts, not IAM users.
 */
export function getCallerIdentityXml(accountId: string, requestId: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    `<GetCallerIdentityResult>${element('Arn', `arn:aws:iam::${accountId}:root`)}${element('UserId', accountId)}${element('Account', accountId)}</GetCallerIdentityResult>` +
    `<ResponseMetadata>${element('RequestId', requestId)}</ResponseMetadata></GetCallerIdentityResponse>`
  );
}

/**
 * An STS error, in STS's own envelope: `<ErrorResponse><Error><Type>Sender|Receiver</Type>
 * <Code>…</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>`, which is
 * what STS clients parse (EC2's `<Response><Errors>` envelope is EC2's alone).
 */
export function stsErrorXml(code: string, message: string, requestId: string, status: number): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">' +
    `<Error>${element('Type', status >= 500 ? 'Receiver' : 'Sender')}${element('Code', code)}${element('Message', message)}</Error>` +
    `${element('RequestId', requestId)}</ErrorResponse>`
  );
}
