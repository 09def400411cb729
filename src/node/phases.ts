// A phase timer for studying where a scan's time goes: with SHIPSHAPE_PHASES set in the environment, each
// phase's wall and CPU time (since the previous mark; the first since the process started) goes to stderr.
// Unset, a mark costs one check of a constant.
const enabled = !!process.env.SHIPSHAPE_PHASES;
let wall = 0;
let cpu = 0;

/** Marks the end of a phase. */
export function phaseDone(name: string): void {
  if (!enabled) return;
  const now = performance.now();
  const u = process.cpuUsage();
  const c = (u.user + u.system) / 1000;
  process.stderr.write(`phase ${name.padEnd(9)} wall ${(now - wall).toFixed(0).padStart(6)} ms  cpu ${(c - cpu).toFixed(0).padStart(6)} ms\n`);
  wall = now;
  cpu = c;
}
