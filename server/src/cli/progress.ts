// One-line progress output for the command-line tools (rewritten in place on a terminal).
export function progress(label: string) {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return (done: number, total: number) => {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (pct === lastPct && done !== total) return;
    lastPct = pct;
    const line = `${label}: ${done.toLocaleString('en')} / ${total.toLocaleString('en')} (${pct}%)`;
    if (tty) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (pct % 10 === 0 || done >= total) process.stderr.write(`${line}\n`);
  };
}
