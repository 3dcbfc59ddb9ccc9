// The parameter names each client knows and which of them are mandatory (nemid-protocol.md §2.2, §3). An unknown or
// deprecated name, or a missing mandatory one, is APP007; everything else about values is checked in values.ts.

export type ClientKind = 'js' | 'codefile';

const SIGNING_NAMES = [
  'SIGNTEXT',
  'SIGNTEXT_FORMAT',
  'SIGNTEXT_TRANSFORMATION',
  'SIGNTEXT_TRANSFORMATION_ID',
  'SIGNTEXT_URI',
  'SIGNTEXT_REMOTE_HASH',
  'SIGNTEXT_MONOSPACEFONT',
] as const;

/** JS client names in their canonical upper case; NemID compared them ignoring case. */
export const JS_NAMES: readonly string[] = [
  'CLIENTFLOW',
  'SP_CERT',
  'TIMESTAMP',
  'SIGN_PROPERTIES',
  'ORIGIN',
  'LANGUAGE',
  'REMEMBER_USERID',
  'REMEMBER_USERID_INITIAL_STATUS',
  'PARAMS_DIGEST',
  'DIGEST_SIGNATURE',
  'DO_NOT_SHOW_CANCEL',
  'ENABLE_AWAITING_APP_APPROVAL_EVENT',
  'CREDENTIAL_UPDATE',
  'PREVENT_OTP_CARD',
  'SUPPRESS_PUSH_TO_DEVICE',
  'TRANSACTION_CONTEXT',
  'CLIENTMODE',
  ...SIGNING_NAMES,
];

export const JS_MANDATORY: readonly string[] = ['CLIENTFLOW', 'SP_CERT', 'TIMESTAMP', 'ORIGIN', 'PARAMS_DIGEST', 'DIGEST_SIGNATURE'];

/** CodeFile names, case-sensitive. TU_VERSION appears in Nets' own example page, so the client accepted it. */
export const CODEFILE_NAMES: readonly string[] = [
  'CLIENTFLOW',
  'SP_CERT',
  'TIMESTAMP',
  'REQUESTISSUER',
  'ORIGIN',
  'LANGUAGE',
  'SIGN_PROPERTIES',
  'ADDITIONAL_PARAMS',
  'PARAMS_DIGEST',
  'DIGEST_SIGNATURE',
  'TU_VERSION',
  'SIGNTEXT',
  'SIGNTEXT_FORMAT',
  'SIGNTEXT_TRANSFORMATION',
];

export const CODEFILE_MANDATORY: readonly string[] = [
  'CLIENTFLOW',
  'SP_CERT',
  'TIMESTAMP',
  'REQUESTISSUER',
  'ORIGIN',
  'PARAMS_DIGEST',
  'DIGEST_SIGNATURE',
];

export const SIGNING_PARAMETER_NAMES: readonly string[] = SIGNING_NAMES;
