// The unsandboxed control: a program that does nothing.
