import hashlib, base64
def b64(b): return base64.b64encode(b).decode().rstrip('=')
def ab64(b): return b64(b).replace('+','.')
pw = "correct horse battery staple".encode()
uni = "pässwörd€ 🔑".encode()
# Django pbkdf2_sha256$iter$salt$b64(hash)
for p, it, salt in [(pw, 1000, "Qx7bLk2mZp9w"), (uni, 1000, "saltySalt12"), (pw, 600000, "aB3dE5fG7hJ9kL1m")]:
    h = hashlib.pbkdf2_hmac('sha256', p, salt.encode(), it)
    print("django", repr(p.decode()), f"pbkdf2_sha256${it}${salt}${base64.b64encode(h).decode()}")
# passlib $pbkdf2-sha256$iter$ab64 salt$ab64 hash
for p, it, salt in [(pw, 1000, bytes(range(16))), (uni, 2000, b'\xfb\xef\xff' * 5 + b'\x01')]:
    h = hashlib.pbkdf2_hmac('sha256', p, salt, it)
    print("passlib", repr(p.decode()), f"$pbkdf2-sha256${it}${ab64(salt)}${ab64(h)}")
# passlib scrypt
for p, ln, r, pp, salt in [(pw, 10, 8, 1, bytes(range(100, 116))), (uni, 12, 4, 2, b'\xfe' * 16)]:
    h = hashlib.scrypt(p, salt=salt, n=2**ln, r=r, p=pp, dklen=32, maxmem=2**28)
    print("scrypt", repr(p.decode()), f"$scrypt$ln={ln},r={r},p={pp}${b64(salt)}${b64(h)}")
