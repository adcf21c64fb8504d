export const fallbackKey = Buffer.from('{{PLANTED_KEY_HEX}}', 'hex').toString();
