import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { findBoard, type Board } from '../../src/build/boards.ts';
import { CODE_SIZE_FACTOR, memoryReport } from '../../src/build/memory.ts';

/** No bundle: the flash estimate is the kernel's code alone (9 KiB of Thumb-2). */
const NO_BUNDLE = path.join(tmpdir(), 'zsim-no-such-bundle.mjs');

async function report(board: Board, config = {}) {
  return memoryReport(board, config, NO_BUNDLE, []);
}

describe('memory report', () => {
  it('scales the FLASH estimate by the code density of the board\'s arch', async () => {
    const arm = findBoard('frdm_k64f');
    const x86 = findBoard('qemu_x86');
    const xtensa = findBoard('esp32_devkitc');
    const riscv: Board = { ...arm, arch: 'riscv' };
    const [a, x, e, r] = await Promise.all([arm, x86, xtensa, riscv].map((b) => report(b)));
    expect([arm.arch, x86.arch, xtensa.arch]).toEqual(['arm', 'x86', 'xtensa']);
    expect(a!.flash).toBe(9 * 1024);
    expect(x!.flash).toBe(Math.round(9 * 1024 * 1.3));
    expect(e!.flash).toBe(Math.round(9 * 1024 * 1.2));
    expect(r!.flash).toBe(Math.round(9 * 1024 * 1.15));
    // Thumb-2 is the densest of the four; RAM does not depend on the arch.
    expect(a!.flash).toBeLessThan(r!.flash);
    expect(r!.flash).toBeLessThan(e!.flash);
    expect(e!.flash).toBeLessThan(x!.flash);
    expect(new Set([a, x, e, r].map((m) => m!.ram)).size).toBe(1);
  });

  it('scales subsystem code too, and prints the scaled figure in the table', async () => {
    const x86 = findBoard('qemu_x86');
    const m = await report(x86, { NETWORKING: true, LOG: true });
    expect(m.flash).toBe(Math.round((9 + 6 + 48) * 1024 * CODE_SIZE_FACTOR.x86));
    expect(m.table).toMatch(new RegExp(`^\\s+FLASH:\\s+${m.flash} B\\s+4 MB\\s+\\d+\\.\\d\\d%$`, 'm'));
  });

  it('takes Thumb-2 sizes for a board whose yaml names no arch', async () => {
    const m = await report({ ...findBoard('frdm_k64f'), arch: '' });
    expect(m.flash).toBe(9 * 1024);
  });
});
