/**
 * The voice_id slug's folding table (docs/mapping.md): what each non-ASCII code point becomes in a slug. Made
 * once by scripts/make-slug-folding.mjs (NFKD, combining marks dropped, lower case, as Unicode 17.0 says) and
 * fixed here, so that the slug never depends on the runtime's Unicode or ICU version. Generated: do not edit.
 * DROPPED: code points that fold to nothing (combining marks), as hex `from-to` ranges. FOLDED: code points that
 * fold to ASCII letters or digits, as `cp:text` or `from-to:first` (consecutive code points to consecutive
 * letters). Every other non-ASCII code point is a separator.
 */
export const DROPPED =
  '300-36f 483-489 591-5bd 5bf 5c1-5c2 5c4-5c5 5c7 610-61a 64b-65f 670 6d6-6dc 6df-6e4 6e7-6e8 6ea-6ed 711 ' +
  '730-74a 7a6-7b0 7eb-7f3 7fd 816-819 81b-823 825-827 829-82d 859-85b 897-89f 8ca-8e1 8e3-903 93a-93c 93e-94f ' +
  '951-957 962-963 981-983 9bc 9be-9c4 9c7-9c8 9cb-9cd 9d7 9e2-9e3 9fe a01-a03 a3c a3e-a42 a47-a48 a4b-a4d a51 ' +
  'a70-a71 a75 a81-a83 abc abe-ac5 ac7-ac9 acb-acd ae2-ae3 afa-aff b01-b03 b3c b3e-b44 b47-b48 b4b-b4d b55-b57 ' +
  'b62-b63 b82 bbe-bc2 bc6-bc8 bca-bcd bd7 c00-c04 c3c c3e-c44 c46-c48 c4a-c4d c55-c56 c62-c63 c81-c83 cbc ' +
  'cbe-cc4 cc6-cc8 cca-ccd cd5-cd6 ce2-ce3 cf3 d00-d03 d3b-d3c d3e-d44 d46-d48 d4a-d4d d57 d62-d63 d81-d83 dca ' +
  'dcf-dd4 dd6 dd8-ddf df2-df3 e31 e34-e3a e47-e4e eb1 eb4-ebc ec8-ece f18-f19 f35 f37 f39 f3e-f3f f71-f84 ' +
  'f86-f87 f8d-f97 f99-fbc fc6 102b-103e 1056-1059 105e-1060 1062-1064 1067-106d 1071-1074 1082-108d 108f ' +
  '109a-109d 135d-135f 1712-1715 1732-1734 1752-1753 1772-1773 17b4-17d3 17dd 180b-180d 180f 1885-1886 18a9 ' +
  '1920-192b 1930-193b 1a17-1a1b 1a55-1a5e 1a60-1a7c 1a7f 1ab0-1add 1ae0-1aeb 1b00-1b04 1b34-1b44 1b6b-1b73 ' +
  '1b80-1b82 1ba1-1bad 1be6-1bf3 1c24-1c37 1cd0-1cd2 1cd4-1ce8 1ced 1cf4 1cf7-1cf9 1dc0-1dff 20d0-20f0 2cef-2cf1 ' +
  '2d7f 2de0-2dff 302a-302f 3099-309a a66f-a672 a674-a67d a69e-a69f a6f0-a6f1 a802 a806 a80b a823-a827 a82c ' +
  'a880-a881 a8b4-a8c5 a8e0-a8f1 a8ff a926-a92d a947-a953 a980-a983 a9b3-a9c0 a9e5 aa29-aa36 aa43 aa4c-aa4d ' +
  'aa7b-aa7d aab0 aab2-aab4 aab7-aab8 aabe-aabf aac1 aaeb-aaef aaf5-aaf6 abe3-abea abec-abed fb1e fe00-fe0f ' +
  'fe20-fe2f ff9e-ff9f 101fd 102e0 10376-1037a 10a01-10a03 10a05-10a06 10a0c-10a0f 10a38-10a3a 10a3f 10ae5-10ae6 ' +
  '10d24-10d27 10d69-10d6d 10eab-10eac 10efa-10eff 10f46-10f50 10f82-10f85 11000-11002 11038-11046 11070 ' +
  '11073-11074 1107f-11082 110b0-110ba 110c2 11100-11102 11127-11134 11145-11146 11173 11180-11182 111b3-111c0 ' +
  '111c9-111cc 111ce-111cf 1122c-11237 1123e 11241 112df-112ea 11300-11303 1133b-1133c 1133e-11344 11347-11348 ' +
  '1134b-1134d 11357 11362-11363 11366-1136c 11370-11374 113b8-113c0 113c2 113c5 113c7-113ca 113cc-113d0 113d2 ' +
  '113e1-113e2 11435-11446 1145e 114b0-114c3 115af-115b5 115b8-115c0 115dc-115dd 11630-11640 116ab-116b7 ' +
  '1171d-1172b 1182c-1183a 11930-11935 11937-11938 1193b-1193e 11940 11942-11943 119d1-119d7 119da-119e0 119e4 ' +
  '11a01-11a0a 11a33-11a39 11a3b-11a3e 11a47 11a51-11a5b 11a8a-11a99 11b60-11b67 11c2f-11c36 11c38-11c3f ' +
  '11c92-11ca7 11ca9-11cb6 11d31-11d36 11d3a 11d3c-11d3d 11d3f-11d45 11d47 11d8a-11d8e 11d90-11d91 11d93-11d97 ' +
  '11ef3-11ef6 11f00-11f01 11f03 11f34-11f3a 11f3e-11f42 11f5a 13440 13447-13455 1611e-1612f 16af0-16af4 ' +
  '16b30-16b36 16f4f 16f51-16f87 16f8f-16f92 16fe4 16ff0-16ff1 1bc9d-1bc9e 1cf00-1cf2d 1cf30-1cf46 1d165-1d169 ' +
  '1d16d-1d172 1d17b-1d182 1d185-1d18b 1d1aa-1d1ad 1d242-1d244 1da00-1da36 1da3b-1da6c 1da75 1da84 1da9b-1da9f ' +
  '1daa1-1daaf 1e000-1e006 1e008-1e018 1e01b-1e021 1e023-1e024 1e026-1e02a 1e08f 1e130-1e136 1e2ae 1e2ec-1e2ef ' +
  '1e4ec-1e4ef 1e5ee-1e5ef 1e6e3 1e6e6 1e6ee-1e6ef 1e6f5 1e8d0-1e8d6 1e944-1e94a e0100-e01ef';

export const FOLDED =
  'aa:a b2-b3:2 b9:1 ba:o bc:1_4 bd:1_2 be:3_4 c0:a c1:a c2:a c3:a c4:a c5:a c7:c c8:e c9:e ca:e cb:e cc:i cd:i ' +
  'ce:i cf:i d1-d2:n d3:o d4:o d5:o d6:o d9:u da:u db:u dc:u dd:y e0:a e1:a e2:a e3:a e4:a e5:a e7:c e8:e e9:e ' +
  'ea:e eb:e ec:i ed:i ee:i ef:i f1-f2:n f3:o f4:o f5:o f6:o f9:u fa:u fb:u fc:u fd:y ff:y 100:a 101:a 102:a ' +
  '103:a 104:a 105:a 106:c 107:c 108:c 109:c 10a:c 10b:c 10c:c 10d-10e:c 10f:d 112:e 113:e 114:e 115:e 116:e ' +
  '117:e 118:e 119:e 11a:e 11b:e 11c:g 11d:g 11e:g 11f:g 120:g 121:g 122:g 123-124:g 125:h 128:i 129:i 12a:i ' +
  '12b:i 12c:i 12d:i 12e:i 12f:i 130:i 132:ij 133:ij 134:j 135-136:j 137:k 139:l 13a:l 13b:l 13c:l 13d:l 13e:l ' +
  '13f:l_ 140:l_ 143:n 144:n 145:n 146:n 147:n 148:n 149:_n 14c:o 14d:o 14e:o 14f:o 150:o 151:o 154:r 155:r 156:r ' +
  '157:r 158:r 159-15a:r 15b:s 15c:s 15d:s 15e:s 15f:s 160:s 161-162:s 163:t 164:t 165:t 168:u 169:u 16a:u 16b:u ' +
  '16c:u 16d:u 16e:u 16f:u 170:u 171:u 172:u 173:u 174:w 175:w 176:y 177:y 178-179:y 17a:z 17b:z 17c:z 17d:z ' +
  '17e:z 17f:s 1a0:o 1a1:o 1af:u 1b0:u 1c4:dz 1c5:dz 1c6:dz 1c7:lj 1c8:lj 1c9:lj 1ca:nj 1cb:nj 1cc:nj 1cd:a 1ce:a ' +
  '1cf:i 1d0:i 1d1:o 1d2:o 1d3:u 1d4:u 1d5:u 1d6:u 1d7:u 1d8:u 1d9:u 1da:u 1db:u 1dc:u 1de:a 1df:a 1e0:a 1e1:a ' +
  '1e6:g 1e7:g 1e8:k 1e9:k 1ea:o 1eb:o 1ec:o 1ed:o 1f0:j 1f1:dz 1f2:dz 1f3:dz 1f4:g 1f5:g 1f8:n 1f9:n 1fa:a 1fb:a ' +
  '200:a 201:a 202:a 203:a 204:e 205:e 206:e 207:e 208:i 209:i 20a:i 20b:i 20c:o 20d:o 20e:o 20f:o 210:r 211:r ' +
  '212:r 213:r 214:u 215:u 216:u 217:u 218:s 219-21a:s 21b:t 21e:h 21f:h 226:a 227:a 228:e 229:e 22a:o 22b:o ' +
  '22c:o 22d:o 22e:o 22f:o 230:o 231:o 232:y 233:y 2b0:h 2b2:j 2b3:r 2b7:w 2b8:y 2e1:l 2e2:s 2e3:x 1d2c:a 1d2e:b ' +
  '1d30-1d31:d 1d33-1d3a:g 1d3c:o 1d3e:p 1d3f:r 1d40-1d41:t 1d42:w 1d43:a 1d47:b 1d48-1d49:d 1d4d:g 1d4f:k 1d50:m ' +
  '1d52:o 1d56:p 1d57-1d58:t 1d5b:v 1d62:i 1d63:r 1d64-1d65:u 1d9c:c 1da0:f 1dbb:z 1e00:a 1e01-1e02:a 1e03:b ' +
  '1e04:b 1e05:b 1e06:b 1e07-1e08:b 1e09-1e0a:c 1e0b:d 1e0c:d 1e0d:d 1e0e:d 1e0f:d 1e10:d 1e11:d 1e12:d ' +
  '1e13-1e14:d 1e15:e 1e16:e 1e17:e 1e18:e 1e19:e 1e1a:e 1e1b:e 1e1c:e 1e1d-1e1e:e 1e1f-1e20:f 1e21-1e22:g 1e23:h ' +
  '1e24:h 1e25:h 1e26:h 1e27:h 1e28:h 1e29:h 1e2a:h 1e2b-1e2c:h 1e2d:i 1e2e:i 1e2f:i 1e30:k 1e31:k 1e32:k 1e33:k ' +
  '1e34:k 1e35-1e36:k 1e37:l 1e38:l 1e39:l 1e3a:l 1e3b:l 1e3c:l 1e3d-1e3e:l 1e3f:m 1e40:m 1e41:m 1e42:m ' +
  '1e43-1e44:m 1e45:n 1e46:n 1e47:n 1e48:n 1e49:n 1e4a:n 1e4b-1e4c:n 1e4d:o 1e4e:o 1e4f:o 1e50:o 1e51:o 1e52:o ' +
  '1e53-1e54:o 1e55:p 1e56:p 1e57:p 1e58:r 1e59:r 1e5a:r 1e5b:r 1e5c:r 1e5d:r 1e5e:r 1e5f-1e60:r 1e61:s 1e62:s ' +
  '1e63:s 1e64:s 1e65:s 1e66:s 1e67:s 1e68:s 1e69-1e6a:s 1e6b:t 1e6c:t 1e6d:t 1e6e:t 1e6f:t 1e70:t 1e71-1e72:t ' +
  '1e73:u 1e74:u 1e75:u 1e76:u 1e77:u 1e78:u 1e79:u 1e7a:u 1e7b-1e7c:u 1e7d:v 1e7e:v 1e7f-1e80:v 1e81:w 1e82:w ' +
  '1e83:w 1e84:w 1e85:w 1e86:w 1e87:w 1e88:w 1e89-1e8a:w 1e8b:x 1e8c:x 1e8d-1e8e:x 1e8f-1e90:y 1e91:z 1e92:z ' +
  '1e93:z 1e94:z 1e95:z 1e96:h 1e97:t 1e98:w 1e99:y 1e9a:a_ 1e9b:s 1ea0:a 1ea1:a 1ea2:a 1ea3:a 1ea4:a 1ea5:a ' +
  '1ea6:a 1ea7:a 1ea8:a 1ea9:a 1eaa:a 1eab:a 1eac:a 1ead:a 1eae:a 1eaf:a 1eb0:a 1eb1:a 1eb2:a 1eb3:a 1eb4:a ' +
  '1eb5:a 1eb6:a 1eb7:a 1eb8:e 1eb9:e 1eba:e 1ebb:e 1ebc:e 1ebd:e 1ebe:e 1ebf:e 1ec0:e 1ec1:e 1ec2:e 1ec3:e ' +
  '1ec4:e 1ec5:e 1ec6:e 1ec7:e 1ec8:i 1ec9:i 1eca:i 1ecb:i 1ecc:o 1ecd:o 1ece:o 1ecf:o 1ed0:o 1ed1:o 1ed2:o ' +
  '1ed3:o 1ed4:o 1ed5:o 1ed6:o 1ed7:o 1ed8:o 1ed9:o 1eda:o 1edb:o 1edc:o 1edd:o 1ede:o 1edf:o 1ee0:o 1ee1:o ' +
  '1ee2:o 1ee3:o 1ee4:u 1ee5:u 1ee6:u 1ee7:u 1ee8:u 1ee9:u 1eea:u 1eeb:u 1eec:u 1eed:u 1eee:u 1eef:u 1ef0:u ' +
  '1ef1:u 1ef2:y 1ef3:y 1ef4:y 1ef5:y 1ef6:y 1ef7:y 1ef8:y 1ef9:y 2070:0 2071:i 2074-2079:4 207f:n 2080-2089:0 ' +
  '2090:a 2091:e 2092:o 2093:x 2095:h 2096-2099:k 209a:p 209b-209c:s 20a8:rs 2100:a_c 2101:a_s 2102:c 2103:_c ' +
  '2105:c_o 2106:c_u 2109:_f 210a-210b:g 210c:h 210d:h 210e:h 2110:i 2111:i 2112:l 2113:l 2115:n 2116:no ' +
  '2119-211b:p 211c:r 211d:r 2120:sm 2121:tel 2122:tm 2124:z 2128:z 212a:k 212b-212d:a 212f:e 2130-2131:e 2133:m ' +
  '2134:o 2139:i 213b:fax 2145:d 2146-2147:d 2148-2149:i 2150:1_7 2151:1_9 2152:1_10 2153:1_3 2154:2_3 2155:1_5 ' +
  '2156:2_5 2157:3_5 2158:4_5 2159:1_6 215a:5_6 215b:1_8 215c:3_8 215d:5_8 215e:7_8 215f:1_ 2160:i 2161:ii ' +
  '2162:iii 2163:iv 2164:v 2165:vi 2166:vii 2167:viii 2168:ix 2169:x 216a:xi 216b:xii 216c:l 216d-216e:c 216f:m ' +
  '2170:i 2171:ii 2172:iii 2173:iv 2174:v 2175:vi 2176:vii 2177:viii 2178:ix 2179:x 217a:xi 217b:xii 217c:l ' +
  '217d-217e:c 217f:m 2189:0_3 2460-2468:1 2469:10 246a:11 246b:12 246c:13 246d:14 246e:15 246f:16 2470:17 ' +
  '2471:18 2472:19 2473:20 2474:_1_ 2475:_2_ 2476:_3_ 2477:_4_ 2478:_5_ 2479:_6_ 247a:_7_ 247b:_8_ 247c:_9_ ' +
  '247d:_10_ 247e:_11_ 247f:_12_ 2480:_13_ 2481:_14_ 2482:_15_ 2483:_16_ 2484:_17_ 2485:_18_ 2486:_19_ 2487:_20_ ' +
  '2488:1_ 2489:2_ 248a:3_ 248b:4_ 248c:5_ 248d:6_ 248e:7_ 248f:8_ 2490:9_ 2491:10_ 2492:11_ 2493:12_ 2494:13_ ' +
  '2495:14_ 2496:15_ 2497:16_ 2498:17_ 2499:18_ 249a:19_ 249b:20_ 249c:_a_ 249d:_b_ 249e:_c_ 249f:_d_ 24a0:_e_ ' +
  '24a1:_f_ 24a2:_g_ 24a3:_h_ 24a4:_i_ 24a5:_j_ 24a6:_k_ 24a7:_l_ 24a8:_m_ 24a9:_n_ 24aa:_o_ 24ab:_p_ 24ac:_q_ ' +
  '24ad:_r_ 24ae:_s_ 24af:_t_ 24b0:_u_ 24b1:_v_ 24b2:_w_ 24b3:_x_ 24b4:_y_ 24b5:_z_ 24b6-24cf:a 24d0-24e9:a ' +
  '24ea:0 2c7c:j 2c7d:v 3250:pte 3251:21 3252:22 3253:23 3254:24 3255:25 3256:26 3257:27 3258:28 3259:29 325a:30 ' +
  '325b:31 325c:32 325d:33 325e:34 325f:35 32b1:36 32b2:37 32b3:38 32b4:39 32b5:40 32b6:41 32b7:42 32b8:43 ' +
  '32b9:44 32ba:45 32bb:46 32bc:47 32bd:48 32be:49 32bf:50 32c0:1_ 32c1:2_ 32c2:3_ 32c3:4_ 32c4:5_ 32c5:6_ ' +
  '32c6:7_ 32c7:8_ 32c8:9_ 32c9:10_ 32ca:11_ 32cb:12_ 32cc:hg 32cd:erg 32ce:ev 32cf:ltd 3358:0_ 3359:1_ 335a:2_ ' +
  '335b:3_ 335c:4_ 335d:5_ 335e:6_ 335f:7_ 3360:8_ 3361:9_ 3362:10_ 3363:11_ 3364:12_ 3365:13_ 3366:14_ 3367:15_ ' +
  '3368:16_ 3369:17_ 336a:18_ 336b:19_ 336c:20_ 336d:21_ 336e:22_ 336f:23_ 3370:24_ 3371:hpa 3372:da 3373:au ' +
  '3374:bar 3375:ov 3376:pc 3377:dm 3378:dm2 3379:dm3 337a:iu 3380:pa 3381:na 3382:_a 3383:ma 3384:ka 3385:kb ' +
  '3386:mb 3387:gb 3388:cal 3389:kcal 338a:pf 338b:nf 338c:_f 338d:_g 338e:mg 338f:kg 3390:hz 3391:khz 3392:mhz ' +
  '3393:ghz 3394:thz 3395:_l 3396:ml 3397:dl 3398:kl 3399:fm 339a:nm 339b:_m 339c:mm 339d:cm 339e:km 339f:mm2 ' +
  '33a0:cm2 33a1:m2 33a2:km2 33a3:mm3 33a4:cm3 33a5:m3 33a6:km3 33a7:m_s 33a8:m_s2 33a9:pa 33aa:kpa 33ab:mpa ' +
  '33ac:gpa 33ad:rad 33ae:rad_s 33af:rad_s2 33b0:ps 33b1:ns 33b2:_s 33b3:ms 33b4:pv 33b5:nv 33b6:_v 33b7:mv ' +
  '33b8:kv 33b9:mv 33ba:pw 33bb:nw 33bc:_w 33bd:mw 33be:kw 33bf:mw 33c0:k_ 33c1:m_ 33c2:a_m_ 33c3:bq 33c4:cc ' +
  '33c5:cd 33c6:c_kg 33c7:co_ 33c8:db 33c9:gy 33ca:ha 33cb:hp 33cc:in 33cd:kk 33ce:km 33cf:kt 33d0:lm 33d1:ln ' +
  '33d2:log 33d3:lx 33d4:mb 33d5:mil 33d6:mol 33d7:ph 33d8:p_m_ 33d9:ppm 33da:pr 33db:sr 33dc:sv 33dd:wb 33de:v_m ' +
  '33df:a_m 33e0:1_ 33e1:2_ 33e2:3_ 33e3:4_ 33e4:5_ 33e5:6_ 33e6:7_ 33e7:8_ 33e8:9_ 33e9:10_ 33ea:11_ 33eb:12_ ' +
  '33ec:13_ 33ed:14_ 33ee:15_ 33ef:16_ 33f0:17_ 33f1:18_ 33f2:19_ 33f3:20_ 33f4:21_ 33f5:22_ 33f6:23_ 33f7:24_ ' +
  '33f8:25_ 33f9:26_ 33fa:27_ 33fb:28_ 33fc:29_ 33fd:30_ 33fe:31_ 33ff:gal a7f1:s a7f2:c a7f3:f a7f4:q fb00:ff ' +
  'fb01:fi fb02:fl fb03:ffi fb04:ffl fb05:st fb06:st ff10-ff19:0 ff21-ff3a:a ff41-ff5a:a 107a5:q 1ccd6-1ccef:a ' +
  '1ccf0-1ccf9:0 1d400-1d419:a 1d41a-1d433:a 1d434-1d44d:a 1d44e-1d454:a 1d456-1d467:i 1d468-1d481:a ' +
  '1d482-1d49b:a 1d49c:a 1d49e-1d49f:c 1d4a2:g 1d4a5-1d4a6:j 1d4a9-1d4ac:n 1d4ae-1d4b5:s 1d4b6-1d4b9:a 1d4bb:f ' +
  '1d4bd-1d4c3:h 1d4c5-1d4cf:p 1d4d0-1d4e9:a 1d4ea-1d503:a 1d504-1d505:a 1d507-1d50a:d 1d50d-1d514:j ' +
  '1d516-1d51c:s 1d51e-1d537:a 1d538-1d539:a 1d53b-1d53e:d 1d540-1d544:i 1d546:o 1d54a-1d550:s 1d552-1d56b:a ' +
  '1d56c-1d585:a 1d586-1d59f:a 1d5a0-1d5b9:a 1d5ba-1d5d3:a 1d5d4-1d5ed:a 1d5ee-1d607:a 1d608-1d621:a ' +
  '1d622-1d63b:a 1d63c-1d655:a 1d656-1d66f:a 1d670-1d689:a 1d68a-1d6a3:a 1d7ce-1d7d7:0 1d7d8-1d7e1:0 ' +
  '1d7e2-1d7eb:0 1d7ec-1d7f5:0 1d7f6-1d7ff:0 1f100:0_ 1f101:0_ 1f102:1_ 1f103:2_ 1f104:3_ 1f105:4_ 1f106:5_ ' +
  '1f107:6_ 1f108:7_ 1f109:8_ 1f10a:9_ 1f110:_a_ 1f111:_b_ 1f112:_c_ 1f113:_d_ 1f114:_e_ 1f115:_f_ 1f116:_g_ ' +
  '1f117:_h_ 1f118:_i_ 1f119:_j_ 1f11a:_k_ 1f11b:_l_ 1f11c:_m_ 1f11d:_n_ 1f11e:_o_ 1f11f:_p_ 1f120:_q_ 1f121:_r_ ' +
  '1f122:_s_ 1f123:_t_ 1f124:_u_ 1f125:_v_ 1f126:_w_ 1f127:_x_ 1f128:_y_ 1f129:_z_ 1f12a:_s_ 1f12b:c 1f12c:r ' +
  '1f12d:cd 1f12e:wz 1f130-1f149:a 1f14a:hv 1f14b:mv 1f14c:sd 1f14d:ss 1f14e:ppv 1f14f:wc 1f16a:mc 1f16b:md ' +
  '1f16c:mr 1f190:dj 1fbf0-1fbf9:0';
