// A formatter is a pure function from a scan result to text.
import type { ScanResult } from "../api.js";

export interface FormatOptions {
  /** ANSI colours (stylish only). */
  color?: boolean;
  /** Version string for tool metadata (SARIF). */
  version?: string;
}

export type Formatter = (result: ScanResult, options: FormatOptions) => string;
