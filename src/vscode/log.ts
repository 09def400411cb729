import * as vscode from 'vscode';
import { redact } from '../engine/markdown';

/** How many of the latest lines the log keeps in memory (for inspect(); the channel keeps them all). */
const KEPT_LINES = 2000;

/**
 * The extension's one output channel, and the guard every command and event handler runs behind. Every
 * line goes through `redact` first: a message that quotes `KEY=value` for a secret-looking key, or a URL
 * with a password, never writes the value (messages name keys by design; this catches what slips through).
 */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  private readonly kept: string[] = [];
  constructor(name = 'Shipshape') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  private line(level: 'info' | 'warn' | 'error' | 'debug', message: string | Error, args: unknown[]): string {
    const head = message instanceof Error ? (message.stack ?? message.message) : message;
    const text = redact([head, ...args.map((a) => (typeof a === 'string' ? a : a instanceof Error ? (a.stack ?? a.message) : JSON.stringify(a)))].join(' '));
    this.kept.push(`[${level}] ${text}`);
    if (this.kept.length > KEPT_LINES) this.kept.splice(0, this.kept.length - KEPT_LINES);
    return text;
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.line('info', message, args));
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.line('warn', message, args));
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.channel.error(this.line('error', message, args));
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.line('debug', message, args));
  }

  /** The latest lines written, every level (debug included, whatever the channel's level), as written. */
  lines(): string[] {
    return [...this.kept];
  }

  /**
   * Runs a handler; any error is logged and shown once, never thrown into VS Code. Async results are awaited
   * so a rejected promise is caught the same way.
   */
  async guard<T>(what: string, fn: () => T | Thenable<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof vscode.CancellationError) return undefined;
      this.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void vscode.window.showErrorMessage(redact(`Shipshape: ${what} failed: ${e instanceof Error ? e.message : String(e)}`), 'Show log').then((pick) => {
        if (pick) this.channel.show(true);
      });
      return undefined;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
