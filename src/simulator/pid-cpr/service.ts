import type { Clock } from '../../shared/index.js';
import { sameCpr } from '../users/cpr-seal.js';

// The decision logic of the simulated PID-CPR service (nemid-protocol.md §8, §10 item 7), shared by the plain-XML
// and SOAP endpoints. Whom it answers at all is decided before, by the TLS client certificate (pid-cpr/routes.ts);
// here the SPID decides what the caller may ask.

export const PID_CPR_STATUS = {
  OK: 0,
  NO_MATCH: 1,
  NO_PID: 2,
  NO_PID_IN_CERTIFICATE: 4,
  NOT_AUTHORIZED_FOR_CPR_LOOKUP: 8,
  BRUTE_FORCE_ATTEMPT_DETECTED: 16,
  NOT_AUTHORIZED_FOR_SERVICE_LOOKUP: 17,
  NOT_PID_SERVICE_REQUEST: 4096,
  XML_PARSE_ERROR: 8192,
  XML_VERSION_NOT_SUPPORTED: 8193,
  INTERNAL_ERROR: 16384,
} as const;

/** Status texts (Danish, English). Nets' exact wording is unknown; these are the simulator's own. */
const STATUS_TEXTS: Record<number, [string, string]> = {
  0: ['OK', 'OK'],
  1: ['CPR-nummeret passer ikke til PID', 'CPR does not match PID'],
  2: ['PID findes ikke', 'PID does not exist'],
  4: ['Certifikatet indeholder ikke et PID', 'No PID in certificate'],
  8: ['Ikke autoriseret til CPR-opslag', 'Not authorized for CPR lookup'],
  16: ['For mange forsøg - prøv igen senere', 'Brute force attempt detected'],
  17: ['Ikke autoriseret til tjenesten', 'Not authorized for service lookup'],
  4096: ['Ikke en PID-forespørgsel', 'Not a PID service request'],
  8192: ['XML kunne ikke læses', 'XML parse error'],
  8193: ['XML-versionen understøttes ikke', 'XML version not supported'],
  16384: ['Intern fejl', 'Internal error'],
};

export function statusTexts(status: number): { dk: string; uk: string } {
  const [dk, uk] = STATUS_TEXTS[status] ?? [`Status ${status}`, `Status ${status}`];
  return { dk, uk };
}

export interface PidCprServiceProvider {
  /** Nets-issued numeric SPID. */
  spid: string;
  /** Public authorities may look a CPR up; others may only match (else status 8). */
  mayLookUpCpr: boolean;
}

/** Default SPIDs (invented): one public authority, one private SP. */
export const SIMULATOR_PUBLIC_SPID = '99000001';
export const SIMULATOR_PRIVATE_SPID = '99000002';
export const DEFAULT_PID_CPR_SERVICE_PROVIDERS: readonly PidCprServiceProvider[] = Object.freeze([
  { spid: SIMULATOR_PUBLIC_SPID, mayLookUpCpr: true },
  { spid: SIMULATOR_PRIVATE_SPID, mayLookUpCpr: false },
]);

/** Wrong matches for one PID within BRUTE_FORCE_WINDOW_MS after which every match gets 16 (real threshold unknown). */
export const BRUTE_FORCE_NO_MATCH_LIMIT = 5;
export const BRUTE_FORCE_WINDOW_MS = 60 * 60 * 1000;

export interface PidCprQuestion {
  serviceId: string;
  pid: string;
  /** Absent: lookup (PID → CPR); present: match. */
  cpr?: string;
}

export interface PidCprAnswer {
  status: number;
  /** Lookup: the CPR; match: the CPR asked about, echoed on 0. */
  cpr?: string;
}

/** The CPR registered for a (bare) PID, or undefined when the PID is unknown or has none. */
export type CprForPid = (pid: string) => Promise<string | undefined>;

export class PidCprService {
  private readonly noMatchTimes = new Map<string, number[]>();

  constructor(
    private readonly providers: readonly PidCprServiceProvider[],
    private readonly clock: Clock,
    private readonly cprForPid: CprForPid,
  ) {}

  async answer(question: PidCprQuestion): Promise<PidCprAnswer> {
    const provider = this.providers.find((candidate) => candidate.spid === question.serviceId);
    if (!provider) return { status: PID_CPR_STATUS.NOT_AUTHORIZED_FOR_SERVICE_LOOKUP };
    const cpr = await this.cprForPid(question.pid);
    if (cpr === undefined) return { status: PID_CPR_STATUS.NO_PID };
    if (question.cpr === undefined) {
      return provider.mayLookUpCpr ? { status: PID_CPR_STATUS.OK, cpr } : { status: PID_CPR_STATUS.NOT_AUTHORIZED_FOR_CPR_LOOKUP };
    }
    if (this.recentNoMatches(question.pid).length >= BRUTE_FORCE_NO_MATCH_LIMIT) {
      return { status: PID_CPR_STATUS.BRUTE_FORCE_ATTEMPT_DETECTED };
    }
    if (sameCpr(question.cpr, cpr)) return { status: PID_CPR_STATUS.OK, cpr };
    this.noMatchTimes.set(question.pid, [...this.recentNoMatches(question.pid), this.clock.now().getTime()]);
    return { status: PID_CPR_STATUS.NO_MATCH };
  }

  reset(): void {
    this.noMatchTimes.clear();
  }

  private recentNoMatches(pid: string): number[] {
    const since = this.clock.now().getTime() - BRUTE_FORCE_WINDOW_MS;
    return (this.noMatchTimes.get(pid) ?? []).filter((time) => time > since);
  }
}
