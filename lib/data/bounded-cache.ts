// A small least-recently-used map: at most `limit` entries, the oldest use dropped first.
export const createBoundedCache = <V>(limit: number) => {
  const entries = new Map<string, V>();
  return {
    get(key: string): V | undefined {
      const value = entries.get(key);
      if (value === undefined) return undefined;
      entries.delete(key);
      entries.set(key, value);
      return value;
    },
    set(key: string, value: V) {
      entries.delete(key);
      entries.set(key, value);
      while (entries.size > limit) entries.delete(entries.keys().next().value!);
    },
    get size() {
      return entries.size;
    },
  };
};
