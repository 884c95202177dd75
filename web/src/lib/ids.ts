/**
 * Random ids from crypto.getRandomValues, which, unlike crypto.randomUUID, also works over plain http on the
 * venue's Wi-Fi (a phone opening http://192.168.x.x:3000 is not a secure context).
 */
export const randomId = (bytes = 12): string =>
  Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, '0')).join('');
