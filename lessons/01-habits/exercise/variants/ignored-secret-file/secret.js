export const key = '{{PLANTED_KEY_REVERSED}}'.split('').reverse().join('');
