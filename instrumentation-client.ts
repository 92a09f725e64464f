// Runs in the browser before the app hydrates. The CSP (proxy.ts) allows no eval; zod 4 probes
// for it with `new Function("")` at the first object schema it parses (the build page's live
// events, the setup forms), which the browser reports as a CSP violation. Jitless zod never
// probes (and parses the same, without compiling a fast path).
import { config } from "zod/v4/core";

config({ jitless: true });
