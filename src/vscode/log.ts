import * as vscode from 'vscode';

/** The extension's one output channel, and the guard every command and event handler runs behind. */
export class Log implements vscode.Disposable {
  readonly channel: vscode.LogOutputChannel;
  constructor(name = 'Shipshape') {
    this.channel = vscode.window.createOutputChannel(name, { log: true });
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(message, ...args);
  }
  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(message, ...args);
  }
  error(message: string | Error, ...args: unknown[]): void {
    this.channel.error(message, ...args);
  }
  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(message, ...args);
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
      this.channel.error(`${what} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      void vscode.window.showErrorMessage(`Shipshape: ${what} failed: ${e instanceof Error ? e.message : String(e)}`, 'Show log').then((pick) => {
        if (pick) this.channel.show(true);
      });
      return undefined;
    }
  }

  dispose(): void {
    this.channel.dispose();
  }
}
