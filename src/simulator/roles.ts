import { setTimeout as sleep } from 'node:timers/promises';
import type { ControlSwitches } from './control.js';
import { json } from './http/responses.js';
import type { SimRoute } from './http/types.js';
import type { Business } from './users/model.js';

// GET /roles?pid=<PID> — the simulated role service of issue 7: which businesses a person may act for.
//
// JSON contract (the IdP-side client in src/nemid reads exactly this):
//   200 {"businesses":[{"cvr":"<8 digits>","name":"<organisation name>"}, …]}   known PID; [] = no business
//   404 {"error":"unknown-pid"}                                                PID unknown to the service
//   400 {"error":"bad-request"}                                                pid missing or malformed
//   503 {"error":"unavailable"}                                                switch roles=unavailable
// The PID is bare (no "PID:" prefix). Switch roles=timeout holds the answer back for `timeoutMs`.

const PID_PATTERN = /^[0-9]+(?:-[0-9]+)*$/;

export function rolesRoute(deps: { switches: () => ControlSwitches; timeoutMs: number; businessesOf: (pid: string) => Promise<Business[] | null> }): SimRoute {
  return {
    method: 'GET',
    path: '/roles',
    body: 'none',
    async handle(req) {
      const mode = deps.switches().roles;
      if (mode === 'unavailable') return json(503, { error: 'unavailable' });
      if (mode === 'timeout') await sleep(deps.timeoutMs, undefined, { ref: false });
      const pid = req.query['pid'] ?? '';
      if (!PID_PATTERN.test(pid)) return json(400, { error: 'bad-request' });
      const businesses = await deps.businessesOf(pid);
      if (!businesses) return json(404, { error: 'unknown-pid' });
      return json(200, { businesses: businesses.map((business) => ({ cvr: business.cvr, name: business.name })) });
    },
  };
}
