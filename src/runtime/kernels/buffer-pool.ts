// Reuses the Float32Arrays of ganc's native kernel outputs once their tensors are disposed, as
// PyTorch's caching allocator does. A fresh Float32Array per op is a new ArrayBuffer: zeroed by the
// allocator and counted as V8 external memory, whose growth forces a scavenge and a mark-compact every
// few dozen ops of a DCGAN step.
//
// A buffer is reused only while the backend alone holds it: one tensor's data, never read out
// (dataSync and friends hand the array itself to the caller) and never aliased by another tensor (a
// stock kernel may make a view of its input, e.g. a contiguous slice). Such a buffer is marked escaped
// and left to the garbage collector.

/** What the pool knows of a buffer it handed out. */
interface BufferState {
  /** It is some tensor's data right now. */
  inUse: boolean;
  escaped: boolean;
}

/**
 * Free pooled bytes are kept up to this, or up to the most bytes the pool's arrays have held in use at once,
 * whichever is more: a training step needs the same arrays every iteration, so a step whose tensors peak
 * above the floor (a ResNet at batch 16 passes ~1.3 GB of 16 MB activations a step) finds them all here
 * next time instead of asking the allocator for zeroed memory and the garbage collector to take it back.
 */
export const POOL_FLOOR_BYTES = 256 << 20;

export class BufferPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly states = new WeakMap<ArrayBufferLike, BufferState>();
  private pooledBytes = 0;
  private inUseBytes = 0;
  private peakInUseBytes = 0;

  constructor(private readonly floorBytes = POOL_FLOOR_BYTES) {}

  /** The most free bytes the pool keeps now. */
  get capacityBytes(): number {
    return Math.max(this.floorBytes, this.peakInUseBytes);
  }

  /** Bytes of free arrays waiting to be reused. */
  get freeBytes(): number {
    return this.pooledBytes;
  }

  /** An array of `length` floats, reused when one is free: its contents are stale, the caller writes every element. */
  take(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (reused) {
      this.pooledBytes -= reused.byteLength;
      return reused;
    }
    const fresh = new Float32Array(length);
    this.states.set(fresh.buffer, { inUse: false, escaped: false });
    return fresh;
  }

  /** `values` became a tensor's data (backend.write). A second tensor over the same buffer is an alias. */
  registered(values: unknown): void {
    const state = this.stateOf(values);
    if (!state) return;
    if (state.inUse || !isWholeBuffer(values as ArrayBufferView)) state.escaped = true;
    if (state.inUse) return;
    state.inUse = true;
    this.inUseBytes += (values as ArrayBufferView).byteLength;
    this.peakInUseBytes = Math.max(this.peakInUseBytes, this.inUseBytes);
  }

  /** `values` were handed out of the backend: they may be read at any later time. */
  escaped(values: unknown): void {
    const state = this.stateOf(values);
    if (state) state.escaped = true;
  }

  /** The tensor whose data `values` were is gone. */
  released(values: unknown): void {
    const state = this.stateOf(values);
    if (!state || !state.inUse || !(values instanceof Float32Array)) return;
    state.inUse = false;
    this.inUseBytes -= values.byteLength;
    if (state.escaped) return;
    if (this.pooledBytes + values.byteLength > this.capacityBytes) {
      state.escaped = true;
      return;
    }
    const list = this.free.get(values.length) ?? [];
    list.push(values);
    this.free.set(values.length, list);
    this.pooledBytes += values.byteLength;
  }

  private stateOf(values: unknown): BufferState | undefined {
    return ArrayBuffer.isView(values) ? this.states.get(values.buffer) : undefined;
  }
}

const isWholeBuffer = (view: ArrayBufferView): boolean => view.byteOffset === 0 && view.byteLength === view.buffer.byteLength;
