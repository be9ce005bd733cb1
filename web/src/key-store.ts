// The API key, asked once and kept in this browser's storage (never in the URL or HTML).
const KEY = "incunest.apiKey";
let memory: string | null = null;

export function storedKey(): string | null {
  try {
    return localStorage.getItem(KEY) ?? memory;
  } catch {
    return memory;
  }
}

export function storeKey(key: string | null): void {
  memory = key;
  try {
    if (key === null) localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, key);
  } catch {
    // storage disabled (private mode): kept for this page only
  }
}
