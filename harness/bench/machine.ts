// What the numbers were measured on. Load average before and after goes with every run: on a shared 2-core
// machine it explains more of the spread than anything in the code.
import { arch, cpus, loadavg, platform, tmpdir, totalmem } from 'node:os';

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  platform: string;
  arch: string;
  node: string;
  totalMemMB: number;
  tmpdir: string;
  loadBefore: number[];
  loadAfter: number[];
}

export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    cpus: list.length,
    cpuModel: (list[0]?.model ?? 'unknown').trim(),
    platform: platform(),
    arch: arch(),
    node: process.version,
    totalMemMB: Math.round(totalmem() / 2 ** 20),
    tmpdir: tmpdir(),
    loadBefore: loadavg(),
    loadAfter: [],
  };
}
