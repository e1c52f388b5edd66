import { MessageChannelMain, type MessagePortMain, type WebContents } from 'electron';
import type { LabEvent } from '../../common/lab-api';
import { LAB_EVENTS_PORT, type EventBatch } from '../../common/ipc-channels';

/** Above this many undelivered progress events for one window, the oldest are dropped. */
export const MAX_PENDING_PROGRESS = 256;
/** Batches sent to a window and not yet acknowledged by its preload; beyond this, events wait in main. */
export const MAX_IN_FLIGHT = 4;

/**
 * One window's end of the live-event channel: events queue here and go out in batches, at most
 * MAX_IN_FLIGHT of them unacknowledged. A window that cannot keep up (a busy or hung renderer) makes the
 * queue grow; then older progress events are dropped (each progress event supersedes the one before),
 * while epochs, done, ended, warnings and runs-changed are always delivered.
 */
export class EventOutlet {
  private queue: LabEvent[] = [];
  private pendingProgress = 0;
  private sent = 0;
  private acked = 0;
  private scheduled = false;
  private closed = false;
  /** Progress events dropped so far, for tests and diagnostics. */
  dropped = 0;

  constructor(
    private readonly port: MessagePortMain,
    private readonly onClosed: () => void = () => {},
    private readonly maxPendingProgress = MAX_PENDING_PROGRESS,
    private readonly maxInFlight = MAX_IN_FLIGHT,
  ) {
    port.on('message', (event) => this.acknowledge(event.data));
    port.on('close', () => this.close());
    port.start();
  }

  get pending(): number {
    return this.queue.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(event: LabEvent): void {
    if (this.closed) return;
    this.queue.push(event);
    if (event.type === 'progress' && ++this.pendingProgress > this.maxPendingProgress) {
      this.queue.splice(this.queue.findIndex((e) => e.type === 'progress'), 1);
      this.pendingProgress--;
      this.dropped++;
    }
    // Events of one turn of the event loop travel together.
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.flush();
      });
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queue = [];
    this.port.close();
    this.onClosed();
  }

  private flush(): void {
    if (this.closed || this.queue.length === 0 || this.sent - this.acked >= this.maxInFlight) return;
    const batch: EventBatch = { seq: ++this.sent, events: this.queue };
    this.queue = [];
    this.pendingProgress = 0;
    try {
      // Structured clone: typed arrays arrive as typed arrays.
      this.port.postMessage(batch);
    } catch {
      this.close();
    }
  }

  /** The renderer is untrusted: anything but a plausible acknowledgement is ignored. */
  private acknowledge(data: unknown): void {
    const ack = (data as { ack?: unknown } | null)?.ack;
    if (typeof ack !== 'number' || !Number.isInteger(ack) || ack <= this.acked || ack > this.sent) return;
    this.acked = ack;
    this.flush();
  }
}

/**
 * Live LabEvents to windows. DESIGN.md has the training worker post to the renderer over a direct
 * MessagePort; here main brokers instead, with one MessageChannelMain per window: main already hears every
 * event from the backend (it has to, to keep run state), several windows can watch the same run, and main
 * can bound what a slow window queues. Main only forwards events; it never looks inside them.
 */
export class EventBroker {
  private readonly outlets = new Map<number, EventOutlet>();
  private readonly unsubscribe: () => void;

  constructor(source: { subscribe(listener: (event: LabEvent) => void): () => void }, private readonly maxPendingProgress = MAX_PENDING_PROGRESS) {
    this.unsubscribe = source.subscribe((event) => {
      for (const outlet of this.outlets.values()) outlet.push(event);
    });
  }

  /** Gives the window a fresh port (a reloaded page asks again; its old port is closed). */
  open(contents: WebContents): EventOutlet {
    this.outlets.get(contents.id)?.close();
    const { port1, port2 } = new MessageChannelMain();
    const id = contents.id;
    const outlet: EventOutlet = new EventOutlet(port1, () => {
      if (this.outlets.get(id) === outlet) this.outlets.delete(id);
    }, this.maxPendingProgress);
    this.outlets.set(id, outlet);
    contents.postMessage(LAB_EVENTS_PORT, null, [port2]);
    return outlet;
  }

  /** The window's outlet, if it has one. */
  outlet(contents: WebContents): EventOutlet | undefined {
    return this.outlets.get(contents.id);
  }

  closeFor(contents: WebContents): void {
    this.outlets.get(contents.id)?.close();
  }

  dispose(): void {
    this.unsubscribe();
    for (const outlet of [...this.outlets.values()]) outlet.close();
  }
}
