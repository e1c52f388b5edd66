/**
 * Coalesces redraw requests: however often `request()` is called, `draw` runs at most once per animation
 * frame, so a chart fed 20 progress messages a second (or 200) costs one paint per frame at most.
 */
export class FrameScheduler {
  private handle = 0;

  constructor(private readonly draw: () => void) {}

  request(): void {
    if (this.handle !== 0) return;
    this.handle = requestAnimationFrame(() => {
      this.handle = 0;
      this.draw();
    });
  }

  cancel(): void {
    if (this.handle !== 0) cancelAnimationFrame(this.handle);
    this.handle = 0;
  }
}
