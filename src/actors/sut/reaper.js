// The lifeline of the processes the harness starts (src/actors/sut/lifeline.ts). It runs detached, in a
// session of its own, and reads "+PGID" and "-PGID" lines on stdin: the process groups to stop when
// the process that started it goes away. However that process ends (it returns, crashes, is
// interrupted or is killed with kill -9) its end of the pipe closes, and then every group still held
// gets SIGTERM, and SIGKILL after a grace period. Plain JavaScript, started with node alone: quick,
// and nothing to load.
'use strict';

const GRACE_MS = Number(process.env.GPC_REAPER_GRACE_MS) || 5000;
const groups = new Set();
let pending = '';
let reaping = false;

function alive(group) {
  try {
    process.kill(-group, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function signal(group, name) {
  try {
    process.kill(-group, name);
  } catch {
    // gone already
  }
}

function reap() {
  if (reaping) return;
  reaping = true;
  const held = [...groups].filter(alive);
  for (const group of held) signal(group, 'SIGTERM');
  const deadline = Date.now() + GRACE_MS;
  const check = () => {
    const left = held.filter(alive);
    if (left.length === 0) process.exit(0);
    if (Date.now() > deadline) {
      for (const group of left) signal(group, 'SIGKILL');
      process.exit(0);
    }
    setTimeout(check, 100);
  };
  check();
}

process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  const lines = (pending + chunk).split('\n');
  pending = lines.pop();
  for (const line of lines) {
    const m = /^([+-])(\d+)$/.exec(line.trim());
    if (!m) continue;
    if (m[1] === '+') groups.add(Number(m[2]));
    else groups.delete(Number(m[2]));
  }
});
process.stdin.on('end', reap);
process.stdin.on('close', reap);
process.stdin.on('error', reap);
// Detached, it has no terminal; these are for a signal sent to it by hand: reap, then go.
for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(name, reap);
