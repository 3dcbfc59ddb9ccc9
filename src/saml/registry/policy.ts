import { z } from 'zod';

// The per-SP policy file `<name>.json` (saml-profile.md §8.2): a strict schema (unknown fields are errors) with the
// defaults applied, then the cross-field rules that need only the policy itself. Rules that also need the SP's
// metadata (encryption key, listed EncryptionMethods) live in registry/cross-checks.ts.

export const spPolicySchema = z
  .object({
    sector: z.enum(['public', 'private']),
    cpr: z.enum(['none', 'lookup', 'match']).default('none'),
    allowedCertificates: z
      .array(z.enum(['POCES', 'MOCES']))
      .nonempty()
      .refine((list) => new Set(list).size === list.length, 'duplicate certificate type')
      .default(['POCES']),
    youthCertificates: z.enum(['allow', 'deny']).default('allow'),
    businessLogin: z.boolean().default(false),
    businessOnly: z.boolean().default(false),
    attributeProfile: z.enum(['oiosaml2', 'oiosaml3']).default('oiosaml2'),
    nameIdFormat: z.enum(['persistent', 'transient', 'x509SubjectName']).default('persistent'),
    signResponse: z.boolean().default(false),
    encryptAssertion: z.enum(['aes256-gcm', 'aes256-cbc', 'never']).default('aes256-gcm'),
    allowSha1: z.boolean().default(false),
    allowIdpInitiated: z.boolean().default(false),
    releaseCpr: z.boolean().default(false),
    // Offer "Remember my CPR number" on the CPR match page (saml-profile.md §8.2 lists no such field; issue 6 asks
    // that the policy can hide the box).
    offerCprMemory: z.boolean().default(true),
    // mitid.md "Configuration": the eID methods this SP accepts (default: what the deployment configures), and the
    // NSIS level a request without RequestedAuthnContext needs.
    methods: z
      .array(z.enum(['nemid-codecard', 'nemid-codefile', 'mitid', 'mitid-erhverv']))
      .nonempty()
      .refine((list) => new Set(list).size === list.length, 'duplicate method')
      .optional(),
    minimumLoa: z.enum(['Low', 'Substantial', 'High']).default('Substantial'),
  })
  .strict();

export type SpPolicy = z.output<typeof spPolicySchema>;
export type NameIdKind = SpPolicy['nameIdFormat'];
export type AttributeProfile = SpPolicy['attributeProfile'];

/** Parses the policy JSON text; returns the policy or the list of problems (schema and self-contained rules). */
export function parseSpPolicy(jsonText: string): { policy?: SpPolicy; problems: string[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(jsonText);
  } catch (error) {
    return { problems: [`not valid JSON (${(error as Error).message})`] };
  }
  const parsed = spPolicySchema.safeParse(raw);
  if (!parsed.success) {
    return { problems: parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`) };
  }
  const policy = parsed.data;
  const problems: string[] = [];
  if (policy.cpr === 'lookup' && policy.sector !== 'public') problems.push('cpr "lookup" needs sector "public"');
  if (policy.releaseCpr && policy.cpr === 'none') problems.push('releaseCpr needs cpr "lookup" or "match"');
  if (policy.cpr !== 'none' && !policy.releaseCpr) problems.push(`cpr "${policy.cpr}" with releaseCpr false: the CPR step would serve nothing`);
  if (policy.releaseCpr && policy.encryptAssertion === 'never') problems.push('releaseCpr needs encryptAssertion other than "never"');
  if (policy.businessLogin && !policy.allowedCertificates.includes('POCES')) problems.push('businessLogin needs "POCES" in allowedCertificates');
  if (policy.businessOnly && !policy.businessLogin) problems.push('businessOnly needs businessLogin');
  if (policy.methods && policy.methods.every((m) => m.startsWith('mitid')) && policy.nameIdFormat === 'x509SubjectName') {
    problems.push('methods with only MitID need nameIdFormat "persistent" or "transient" (MitID has no certificate subject)');
  }
  if (policy.attributeProfile === 'oiosaml3' && policy.nameIdFormat === 'x509SubjectName') {
    problems.push('attributeProfile "oiosaml3" needs nameIdFormat "persistent" or "transient"');
  }
  return problems.length > 0 ? { problems } : { policy, problems };
}
