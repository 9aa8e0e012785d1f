/** Undo steps run last-in first-out, each once, even when earlier ones fail. */
export class Cleanup {
  private static readonly active = new Set<Cleanup>();
  private readonly steps: { label: string; run: () => Promise<void> | void }[] = [];

  constructor() {
    Cleanup.active.add(this);
  }

  defer(label: string, run: () => Promise<void> | void): void {
    this.steps.push({ label, run });
  }

  async release(): Promise<void> {
    Cleanup.active.delete(this);
    for (let step = this.steps.pop(); step; step = this.steps.pop()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`cleanup: ${step.label} failed:`, error);
      }
    }
  }

  /** For signal handlers: releases everything not yet released. */
  static async releaseAll(): Promise<void> {
    for (const cleanup of [...Cleanup.active].reverse()) await cleanup.release();
  }
}
