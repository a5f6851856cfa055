// Whether the journal takes writes (issue 9: disk full after QFPay answered).
// A refused write is reported once per outage; while it lasts the engine
// takes no charge, and the first write that goes through ends it. Listeners
// (the app's status line) hear each change.

/** Whether the journal takes writes; when it does not, why (for the cashier and the log). */
export interface JournalHealth {
  writable: boolean;
  detail?: string;
}

export class JournalHealthWatch {
  private problem: string | undefined;
  private readonly listeners = new Set<(health: JournalHealth) => void>();

  constructor(private readonly report: (where: string, error: unknown) => void) {}

  /** Why the journal refuses writes, or undefined when it takes them. */
  get refusal(): string | undefined {
    return this.problem;
  }

  current(): JournalHealth {
    return this.problem === undefined ? { writable: true } : { writable: false, detail: this.problem };
  }

  on(listener: (health: JournalHealth) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  failed(error: unknown): void {
    if (this.problem !== undefined) return;
    this.problem = error instanceof Error ? error.message : String(error);
    this.report('journal', error);
    this.tell();
  }

  written(): void {
    if (this.problem === undefined) return;
    this.problem = undefined;
    this.tell();
  }

  private tell(): void {
    const health = this.current();
    for (const listener of this.listeners) listener(health);
  }
}
