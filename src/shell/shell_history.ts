/**
 * Command history, after Zephyr's `shell_history.c`: entries are kept newest first in a buffer of
 * `CONFIG_SHELL_HISTORY_BUFFER` bytes (the oldest are dropped when it is full), a command equal to
 * the newest entry is not stored again, and Up/Down walk the entries while the line being edited
 * is kept aside to come back to past the newest one.
 */

/** Bytes Zephyr's ring buffer spends on an entry besides its text (list node and length). */
const ITEM_OVERHEAD = 12;

export class ShellHistory {
  /** Newest first. */
  private readonly items: string[] = [];
  /** Index of the entry shown while browsing, -1 when not browsing. */
  private pos = -1;

  constructor(private readonly bufferBytes = 512) {}

  /** Entries, newest first. */
  entries(): readonly string[] {
    return this.items;
  }

  /** True while Up/Down browse the history. */
  get active(): boolean {
    return this.pos >= 0;
  }

  /** Stores an executed command (`z_shell_history_put`) and leaves browsing mode. */
  put(line: string): void {
    this.pos = -1;
    if (line.length === 0 || this.items[0] === line) return;
    if (line.length + ITEM_OVERHEAD > this.bufferBytes) return;
    this.items.unshift(line);
    let used = this.items.reduce((n, s) => n + s.length + ITEM_OVERHEAD, 0);
    while (used > this.bufferBytes) used -= this.items.pop()!.length + ITEM_OVERHEAD;
  }

  /**
   * One step up (older) or down (newer) (`z_shell_history_get`): the entry to show, or null when
   * there is none that way; going down past the newest entry leaves browsing mode (null).
   */
  get(up: boolean): string | null {
    if (this.items.length === 0) return null;
    if (up) {
      if (this.pos + 1 >= this.items.length) return this.pos >= 0 ? this.items[this.pos]! : null;
      this.pos++;
      return this.items[this.pos]!;
    }
    if (this.pos <= 0) {
      this.pos = -1;
      return null;
    }
    this.pos--;
    return this.items[this.pos]!;
  }

  /** Leaves browsing mode: the next Up starts again from the newest entry. */
  exit(): void {
    this.pos = -1;
  }
}
