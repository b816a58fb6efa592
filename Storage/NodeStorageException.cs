namespace GenomeNode.Storage;

/// <summary>The data directory or database cannot be used as it is; the message tells the operator why.</summary>
public sealed class NodeStorageException(string message, Exception? inner = null) : Exception(message, inner);
