// What src/login hands to the response builder: the authenticated person or employee in protocol-neutral terms.
// src/saml knows nothing of NemID; login maps its verified identity onto this shape.

export type Capacity = 'private' | 'businessOwner' | 'employee';

export interface SamlSubject {
  capacity: Capacity;
  /** Absent for NemID (certificate) logins; 'mitid' for MitID through a broker: no certificate attributes then. */
  eid?: 'mitid';
  /** MitID: the NSIS levels actually achieved (loa, and ial/aal where the broker reported them). */
  nsis?: { loa: 'Low' | 'Substantial' | 'High'; ial?: 'Low' | 'Substantial' | 'High'; aal?: 'Low' | 'Substantial' | 'High' };
  /** The certificate subject serialNumber verbatim: `PID:…` or `CVR:<8>-RID:<n>`; MitID: the person's or professional's UUID. */
  subjectSerialNumber: string;
  /** The bare PID number (without `PID:`), for private and business-owner logins. */
  pid?: string;
  /** Employee logins: the CVR and RID from the serialNumber. */
  cvr?: string;
  rid?: string;
  /** Certificate CN (`Pseudonym` on pseudonym certificates). */
  commonName: string;
  /** Employee certificates: the SAN rfc822Name when present. */
  email?: string;
  /** Certificate O, verbatim. */
  organizationName: string;
  /** Certificate O without the trailing ` // CVR:…`. */
  organizationNameWithoutCvr: string;
  /** Leaf serial number, upper-case hex. */
  certificateSerialHex: string;
  /** Issuer DN in RFC 4514 form. */
  issuerDn: string;
  certificateDerBase64: string;
  youth: boolean;
  pseudonym: boolean;
  /** The signed identity assurance level, when NemID reported one ("2" gives IAL Substantial in oiosaml3). */
  identityAssuranceLevel?: string;
  /** 10 digits, no dash; set only when this login obtained it for an SP that releases it (§4.3). */
  cpr?: string;
  /** Business-owner logins: the CVR the user chose and the company's name from the roles data. */
  chosenCvr?: string;
  companyName?: string;
  /** For X509SubjectName NameIDs. */
  x509Subject: { c: string; o: string; cn: string; serialNumber: string };
}
