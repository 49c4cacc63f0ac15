import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml';
import { formatPath, type SourceLocation } from './config-error';

export type DocPath = readonly (string | number)[];

/** One parsed file, able to turn a path in its document into a file:line:column. */
export class SourceFile {
  constructor(
    readonly file: string,
    readonly doc: Document,
    readonly lines: LineCounter,
  ) {}

  /**
   * The location of the value at `path`, or of its key when `onKey` is set (for unknown keys).
   * A path that does not exist (a missing key) falls back to its closest existing parent.
   */
  locate(path: DocPath, onKey = false): SourceLocation {
    const node = onKey ? this.keyNode(path) : this.valueNode(path);
    const offset = node?.range?.[0] ?? this.closestOffset(path);
    const { line, col } = this.lines.linePos(offset);
    return { file: this.file, line, column: col, path: formatPath(path) };
  }

  private valueNode(path: DocPath): Node | undefined {
    const node = path.length === 0 ? this.doc.contents : this.doc.getIn(path, true);
    return isNode(node) ? node : undefined;
  }

  private keyNode(path: DocPath): Node | undefined {
    const parent = this.valueNode(path.slice(0, -1));
    if (!isMap(parent)) return undefined;
    const key = path[path.length - 1];
    const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key));
    return pair && isNode(pair.key) ? pair.key : undefined;
  }

  private closestOffset(path: DocPath): number {
    for (let depth = path.length - 1; depth >= 0; depth--) {
      const node = this.valueNode(path.slice(0, depth));
      if (node?.range) return node.range[0];
    }
    return 0;
  }
}

function isNode(value: unknown): value is Node {
  return isScalar(value) || isMap(value) || isSeq(value) || (typeof value === 'object' && value !== null && 'range' in value);
}
