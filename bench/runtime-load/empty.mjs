// The baseline: a Node program that does nothing.
