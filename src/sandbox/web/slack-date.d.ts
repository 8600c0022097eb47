export function formatSlackDate(seconds: number, format: string, options?: { now?: number; timeZone?: string }): string | null;
