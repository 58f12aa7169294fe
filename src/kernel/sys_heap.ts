/**
 * A model of Zephyr 3.7's sys_heap allocator (`lib/heap/heap.c`), chunk for chunk, for `kheap.ts`.
 *
 * It holds no memory, only the bookkeeping: 8-byte chunk units, a 4-byte chunk header (8 on big or
 * 64-bit heaps), the heap's own bookkeeping chunk and end marker, power-of-two free-list buckets
 * with the same first-fit/best-bucket search, splitting and coalescing. So whether an allocation
 * fits, including failures from fragmentation, is what the same board would see under Zephyr.
 * Addresses are plain numbers (0 is NULL); the k_heap layer maps them to the arrays apps get.
 */

const CHUNK_UNIT = 8;

/** One chunk: its size in units, used flag, left neighbour's size and free-list links. */
interface Chunk {
  size: number;
  used: boolean;
  left: number;
  prev: number;
  next: number;
}

/**
 * sys_heap's bookkeeping, chunk for chunk. Chunks are keyed by their unit offset from the
 * heap start (0 is the heap header, `end` the end marker); addresses are `base + 8 * id`.
 */
export class SysHeap {
  /** Bytes the heap was created with. */
  readonly total: number;
  /** Pointer size of the build, the default alignment. */
  readonly ptr: 4 | 8;
  /** Chunk id of the end marker, i.e. the heap's size in chunk units. */
  readonly end: number;
  private readonly big: boolean;
  private readonly hdr: number;
  private readonly minChunk: number;
  private readonly base = 0x20000000;
  private readonly chunks = new Map<number, Chunk>();
  private readonly buckets: number[];
  private avail = 0;
  /** Bytes in free chunks, headers included (`sys_heap_runtime_stats_get`'s counters). */
  free_bytes = 0;
  /** Bytes in used chunks, headers included. */
  allocated_bytes = 0;
  /** High-water mark of `allocated_bytes`. */
  max_allocated_bytes = 0;

  /**
   * `sys_heap_init` of a `bytes`-byte heap for a build with `ptr`-byte pointers, `stats` for
   * `CONFIG_SYS_HEAP_RUNTIME_STATS` (it enlarges the header), `loops` for
   * `CONFIG_SYS_HEAP_ALLOC_LOOPS`. Throws "heap size is too small" as Zephyr's assertion would.
   */
  constructor(bytes: number, ptr: 4 | 8, stats: boolean, private readonly loops: number) {
    this.total = bytes;
    this.ptr = ptr;
    const footer = ptr > 4 || Math.floor(bytes / CHUNK_UNIT) > 0x7fff ? 8 : 4;
    if (bytes <= footer) throw new Error('heap size is too small');
    const heapSz = Math.floor((bytes - footer) / CHUNK_UNIT);
    this.end = heapSz;
    this.big = ptr > 4 || heapSz > 0x7fff;
    this.hdr = this.big ? 8 : 4;
    this.minChunk = chunksz(this.hdr + 1);
    // struct z_heap: chunk0_hdr[2], end_chunk, avail_buckets (+ three size_t stats), then the buckets.
    const nb = this.bucketIdx(heapSz) + 1;
    const chunk0 = chunksz(16 + (stats ? 3 * ptr : 0) + 4 * nb);
    if (heapSz <= 2 || chunk0 + this.minChunk > heapSz) throw new Error('heap size is too small');
    this.buckets = new Array<number>(nb).fill(0);
    this.chunks.set(0, { size: chunk0, used: true, left: 0, prev: 0, next: 0 });
    this.chunks.set(chunk0, { size: heapSz - chunk0, used: false, left: chunk0, prev: 0, next: 0 });
    this.chunks.set(heapSz, { size: 0, used: true, left: heapSz - chunk0, prev: 0, next: 0 });
    this.flAdd(chunk0);
  }

  private c(id: number): Chunk {
    return this.chunks.get(id)!;
  }

  private bucketIdx(sz: number): number {
    return 31 - Math.clz32(sz - this.minChunk + 1);
  }

  /** Units for a request: header plus payload, rounded up. */
  private toChunks(bytes: number): number {
    return chunksz(this.hdr + bytes);
  }

  private tooBig(bytes: number): boolean {
    return Math.floor(bytes / CHUNK_UNIT) >= this.end;
  }

  private mem(id: number): number {
    return this.base + id * CHUNK_UNIT + this.hdr;
  }

  private idOf(mem: number): number {
    return Math.floor((mem - this.hdr - this.base) / CHUNK_UNIT);
  }

  private flRemoveB(id: number, bi: number): void {
    const ch = this.c(id);
    if (ch.next === id) {
      this.avail &= ~(1 << bi);
      this.buckets[bi] = 0;
    } else {
      this.buckets[bi] = ch.next;
      this.c(ch.prev).next = ch.next;
      this.c(ch.next).prev = ch.prev;
    }
    this.free_bytes -= ch.size * CHUNK_UNIT;
  }

  // A one-unit chunk of a big heap cannot hold free-list links, so it stays off the lists.
  private flRemove(id: number): void {
    if (!(this.big && this.c(id).size === 1)) this.flRemoveB(id, this.bucketIdx(this.c(id).size));
  }

  private flAdd(id: number): void {
    const ch = this.c(id);
    if (this.big && ch.size === 1) return;
    const bi = this.bucketIdx(ch.size);
    const second = this.buckets[bi]!;
    if (second === 0) {
      this.avail |= 1 << bi;
      this.buckets[bi] = id;
      ch.prev = ch.next = id;
    } else {
      // Inserted before the bucket's "next" pointer, i.e. at the back of the circular list.
      const first = this.c(second).prev;
      ch.prev = first;
      ch.next = second;
      this.c(first).next = id;
      this.c(second).prev = id;
    }
    this.free_bytes += ch.size * CHUNK_UNIT;
  }

  private split(lc: number, rc: number): void {
    const l = this.c(lc);
    const rsz = l.size - (rc - lc);
    l.size = rc - lc;
    this.chunks.set(rc, { size: rsz, used: false, left: rc - lc, prev: 0, next: 0 });
    this.c(rc + rsz).left = rsz;
  }

  private merge(lc: number, rc: number): void {
    const l = this.c(lc);
    const r = this.c(rc);
    l.size += r.size;
    this.c(rc + r.size).left = l.size;
    this.chunks.delete(rc);
  }

  private freeChunk(id: number): void {
    const r = id + this.c(id).size;
    if (!this.c(r).used) {
      this.flRemove(r);
      this.merge(id, r);
    }
    const l = id - this.c(id).left;
    if (!this.c(l).used) {
      this.flRemove(l);
      this.merge(l, id);
      id = l;
    }
    this.flAdd(id);
  }

  /** A few tries in the request's own bucket, then the smallest bucket that surely fits. */
  private allocChunk(sz: number): number {
    const bi = this.bucketIdx(sz);
    if (this.buckets[bi] !== 0) {
      const first = this.buckets[bi]!;
      let i = this.loops;
      do {
        const id = this.buckets[bi]!;
        if (this.c(id).size >= sz) {
          this.flRemoveB(id, bi);
          return id;
        }
        this.buckets[bi] = this.c(id).next;
      } while (--i > 0 && this.buckets[bi] !== first);
    }
    const bmask = bi + 1 >= 32 ? 0 : this.avail & ~((1 << (bi + 1)) - 1);
    if (bmask === 0) return 0;
    const min = 31 - Math.clz32(bmask & -bmask);
    const id = this.buckets[min]!;
    this.flRemoveB(id, min);
    return id;
  }

  private markUsed(id: number): void {
    const ch = this.c(id);
    ch.used = true;
    this.allocated_bytes += ch.size * CHUNK_UNIT;
    this.max_allocated_bytes = Math.max(this.max_allocated_bytes, this.allocated_bytes);
  }

  /** `sys_heap_alloc`: an address, or 0. */
  alloc(bytes: number): number {
    if (bytes === 0 || this.tooBig(bytes)) return 0;
    const sz = this.toChunks(bytes);
    const id = this.allocChunk(sz);
    if (id === 0) return 0;
    if (this.c(id).size > sz) {
      this.split(id, id + sz);
      this.flAdd(id + sz);
    }
    this.markUsed(id);
    return this.mem(id);
  }

  /** `sys_heap_aligned_alloc`, including the one-bit "rewind" z_heap_aligned_alloc relies on. */
  alignedAlloc(align: number, bytes: number): number {
    let rew = align & -align;
    let gap: number;
    if (align !== rew) {
      align -= rew;
      gap = Math.min(rew, this.hdr);
    } else {
      if (align <= this.hdr) return this.alloc(bytes);
      rew = 0;
      gap = this.hdr;
    }
    if (bytes === 0 || this.tooBig(bytes)) return 0;
    const padded = this.toChunks(bytes + align - gap);
    const c0 = this.allocChunk(padded);
    if (c0 === 0) return 0;
    const mem = Math.ceil((this.mem(c0) + rew) / align) * align - rew;
    const id = this.idOf(mem);
    const cEnd = (Math.ceil((mem + bytes) / CHUNK_UNIT) * CHUNK_UNIT - this.base) / CHUNK_UNIT;
    if (id > c0) {
      this.split(c0, id);
      this.flAdd(c0);
    }
    if (id + this.c(id).size > cEnd) {
      this.split(id, cEnd);
      this.flAdd(cEnd);
    }
    this.markUsed(id);
    return mem;
  }

  /** `sys_heap_free` of an address this model handed out. */
  free(mem: number): void {
    const id = this.idOf(mem);
    const ch = this.c(id);
    ch.used = false;
    this.allocated_bytes -= ch.size * CHUNK_UNIT;
    this.freeChunk(id);
  }

  /** `inplace_realloc`: shrinks, or grows into a free right neighbour; false when it cannot. */
  reallocInPlace(mem: number, bytes: number): boolean {
    if (this.tooBig(bytes)) return false;
    const id = this.idOf(mem);
    const ch = this.c(id);
    const need = this.toChunks(bytes + (mem - this.mem(id)));
    if (ch.size === need) return true;
    if (ch.size > need) {
      this.allocated_bytes -= (ch.size - need) * CHUNK_UNIT;
      this.split(id, id + need);
      this.freeChunk(id + need);
      return true;
    }
    const rc = id + ch.size;
    const r = this.c(rc);
    if (r.used || ch.size + r.size < need) return false;
    const splitSize = need - ch.size;
    this.allocated_bytes += splitSize * CHUNK_UNIT;
    this.max_allocated_bytes = Math.max(this.max_allocated_bytes, this.allocated_bytes);
    this.flRemove(rc);
    if (splitSize < r.size) {
      this.split(rc, rc + splitSize);
      this.flAdd(rc + splitSize);
    }
    this.merge(id, rc);
    return true;
  }
}

function chunksz(bytes: number): number {
  return Math.ceil(bytes / CHUNK_UNIT);
}
