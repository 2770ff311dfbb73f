/**
 * Moves `Date.now()` (which the library reads for every expiry) without fake timers, which
 * would stall the HTTP stack.
 */
export class TestClock {
  private offset = 0;
  private readonly realNow = Date.now;

  install(): this {
    Date.now = () => this.realNow.call(Date) + this.offset;
    return this;
  }

  advance(ms: number): void {
    this.offset += ms;
  }

  uninstall(): void {
    Date.now = this.realNow;
    this.offset = 0;
  }
}
