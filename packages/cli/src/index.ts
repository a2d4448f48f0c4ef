/**
 * Placeholder: this package exists so the workspace has its final shape. It exports nothing yet and
 * claims nothing; its issue fills it (runtime: #3, plugin: #5, cli: #6).
 */
export {};
