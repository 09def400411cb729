import * as yaml from 'yaml';

// yaml's node guards (`isMap`, `isScalar`…) read a symbol-keyed property of the node; nodes come in many
// shapes (a scalar with or without a comment, a source, a type…), so each read is a slow megamorphic lookup.
// These ask the node's class instead, which is one load from its hidden class whatever its shape. The
// parser makes every node with these classes (a `!!set` is a YAMLMap, an `!!omap` a YAMLSeq), so both ways
// agree on every node the engine handles.
const { Alias: AliasNode, Pair: PairNode, Scalar: ScalarNode, YAMLMap: MapNode, YAMLSeq: SeqNode } = yaml;

export const isAlias = (node: unknown): node is yaml.Alias => node instanceof AliasNode;
export const isMap = <K = unknown, V = unknown>(node: unknown): node is yaml.YAMLMap<K, V> => node instanceof MapNode;
export const isPair = <K = unknown, V = unknown>(node: unknown): node is yaml.Pair<K, V> => node instanceof PairNode;
export const isScalar = <T = unknown>(node: unknown): node is yaml.Scalar<T> => node instanceof ScalarNode;
export const isSeq = <T = unknown>(node: unknown): node is yaml.YAMLSeq<T> => node instanceof SeqNode;
