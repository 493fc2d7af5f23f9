"""Short, general phrase lists for page chrome, in several common wordings.

Entries are compared in `match_key` form (no harakat; أ/إ/آ/ٱ -> ا, ى -> ي, ة -> ه; lower case; the
cleaner applies it to these lists too), so one entry matches its spelling variants (أيضاً, ايضا, إقرأ ...). They are signals among others, not the
whole cleaner: a phrase only removes a line when the line is short and made of such words.
"""

from __future__ import annotations

# Whole-line labels (after stripping punctuation): navigation and page furniture.
MENU = frozenset(
    {
        "الرئيسيه", "الصفحه الرئيسيه", "اعلي", "للاعلي", "الي الاعلي", "العوده للاعلي", "عوده للاعلي",
        "العوده الي الاعلي", "ارجع للاعلي", "رجوع", "عوده", "القائمه", "قائمه", "بحث", "ابحث", "من نحن",
        "اتصل بنا", "اتصل بنا الان", "سياسه الخصوصيه", "شروط الاستخدام", "الشروط والاحكام", "خريطه الموقع",
        "الارشيف", "ارشيف", "english", "francais", "home", "menu", "search", "top", "back to top",
        "login", "log in", "sign in", "تسجيل الدخول", "دخول", "تسجيل", "التالي", "السابق", "المقال التالي",
        "المقال السابق", "الخبر التالي", "الخبر السابق", "next", "previous", "حجم الخط", "تكبير الخط",
        "تصغير الخط", "اعلن معنا", "للاعلان", "النسخه الكامله", "عرض الكل", "المزيد", "more",
        "النشره البريديه", "اشترك في النشره البريديه", "اشترك الان", "subscribe", "اغلاق", "close",
    }
)

# Words of share/follow bars: a line made only of these (and numbers) is chrome.
SOCIAL = frozenset(
    {
        "facebook", "twitter", "x", "whatsapp", "telegram", "linkedin", "instagram", "youtube", "tiktok",
        "pinterest", "reddit", "messenger", "email", "e-mail", "gmail", "rss", "snapchat", "threads",
        "فيسبوك", "فيس", "بوك", "الفيسبوك", "تويتر", "تويتير", "واتساب", "واتس", "اب", "الواتساب",
        "تيليجرام", "تلغرام", "تليجرام", "تيلغرام", "لينكدان", "لينكد", "ان", "انستغرام", "انستجرام",
        "انستقرام", "يوتيوب", "تيك", "توك", "تيكتوك", "ماسنجر", "سناب", "شات", "سنابشات", "البريد",
        "الالكتروني", "بريد", "اكس", "منصه",
    }
)
SHARE_WORDS = frozenset(
    {
        "شارك", "شاركوا", "شاركها", "شاركه", "مشاركه", "المشاركه", "مشاركات", "انشر", "نشر", "ارسل",
        "لصديق", "صديق", "طباعه", "اطبع", "اطبع الخبر", "نسخ", "انسخ", "الرابط", "رابط", "المختصر",
        "مختصر", "تم", "النسخ", "المقال", "الخبر", "الموضوع", "الصفحه", "هذا", "هذه", "علي", "عبر", "مع",
        "في", "share", "shares", "shared", "print", "copy", "link", "this", "article", "on", "via", "tweet",
        "غرد", "شير", "حفظ", "save", "url", "short",
    }
)
# At least one of these must be on a line for it to be a share bar ("في هذا المقال" is not one).
SHARE_STRONG = frozenset(
    {
        "شارك", "شاركوا", "شاركها", "شاركه", "مشاركه", "المشاركه", "انشر", "طباعه", "اطبع", "نسخ", "انسخ",
        "share", "shares", "print", "tweet", "غرد", "شير", "لصديق", "facebook", "twitter", "whatsapp",
        "telegram", "linkedin", "instagram", "youtube", "tiktok", "pinterest", "reddit", "messenger",
        "email", "فيسبوك", "تويتر", "واتساب", "تيليجرام", "تلغرام", "تليجرام", "انستغرام", "انستجرام",
        "يوتيوب", "ماسنجر", "الفيسبوك", "الواتساب", "سنابشات",
    }
)
FOLLOW_VERBS = ("تابعونا", "تابعنا", "تابعوا", "تابعني", "follow us", "follow", "اشترك في قناتنا",
                "اشتركوا في قناتنا", "انضم الي قناتنا", "انضموا الي قناتنا", "انضم", "انضموا", "اشترك",
                "اشتركوا", "للاشتراك", "حمل تطبيق", "حملوا تطبيق", "تطبيقنا")
FOLLOW_PLACES = ("قناه", "قناتنا", "صفحه", "صفحتنا", "حساب", "حسابنا", "حساباتنا", "منصات", "منصاتنا",
                 "تطبيق", "channel", "page", "account")

COPYRIGHT = ("جميع الحقوق محفوظه", "الحقوق محفوظه", "كافه الحقوق محفوظه", "حقوق النشر محفوظه",
             "حقوق الطبع محفوظه", "جميع حقوق النشر", "all rights reserved", "copyright",
             "يمنع نسخ", "يمنع اعاده نشر", "يحظر نسخ", "يحظر اعاده نشر", "لا يجوز نسخ", "لا يجوز اعاده نشر",
             "يرجي ذكر المصدر عند", "(c) 20", "(c)20")

READ_ALSO = ("اقرا ايضا", "اقرا كذلك", "اقرا المزيد", "اقرا ايضاً", "اقرا اكثر", "طالع ايضا", "طالع كذلك",
             "شاهد ايضا", "شاهد كذلك", "شاهد ايضاً", "اقرا", "طالع", "لمزيد من التفاصيل", "للمزيد",
             "read also", "read more", "see also", "also read", "more:", "اقرا ايضا:", "ذات صله:")

RELATED = ("اخبار ذات صله", "مواضيع ذات صله", "مقالات ذات صله", "موضوعات ذات صله", "قصص ذات صله",
           "ذات صله", "اخبار متعلقه", "مواضيع متعلقه", "مقالات متعلقه", "الاكثر قراءه", "الاكثر مشاهده",
           "الاكثر تداولا", "الاكثر شعبيه", "الاكثر تعليقا", "الاكثر مشاركه", "الاكثر قراءه اليوم",
           "الاكثر قراءه في", "قد يهمك", "قد يعجبك", "قد يهمك ايضا", "قد يعجبك ايضا", "ننصحك بقراءه",
           "اخترنا لك", "مختارات", "مختارات المحرر", "مواضيع مقترحه", "مقالات مقترحه", "اخبار مقترحه",
           "المزيد من الاخبار", "المزيد من", "اخر الاخبار", "احدث الاخبار", "اخبار اخري", "مواضيع اخري",
           "اهم الاخبار", "ابرز الاخبار", "عناوين اخري", "اقرا في", "related", "related articles",
           "related news", "most read", "most popular", "you may also like", "more stories",
           "recommended", "trending", "popular")

TAGS = ("الوسوم", "وسوم", "الكلمات المفتاحيه", "كلمات مفتاحيه", "الكلمات الدلاليه", "كلمات دلاليه",
        "العلامات", "علامات", "الهاشتاغ", "هاشتاغ", "هاشتاج", "التصنيفات", "تصنيفات", "مواضيع", "الموضوعات",
        "tags", "tag", "topics", "keywords")

AD = frozenset({"اعلان", "الاعلان", "اعلانات", "مساحه اعلانيه", "اعلان ممول", "محتوي ممول", "محتوي مدعوم",
                "ممول", "برعايه", "advertisement", "advertising", "ads", "ad", "sponsored",
                "sponsored content", "promoted", "اعلان تجاري", "اعلان مدفوع", "محتوي اعلاني"})

LOGO = frozenset({"logo", "site logo", "شعار", "الشعار", "شعار الموقع", "لوجو", "اللوجو", "لوغو", "image",
                  "صوره", "icon"})

CAPTION = frozenset({"صوره ارشيفيه", "ارشيفيه", "صوره تعبيريه", "تعبيريه", "ارشيف", "(ارشيف)",
                     "صوره من الارشيف", "file photo", "archive"})

BREAKING = ("عاجل", "خبر عاجل", "اخبار عاجله", "عاجل جدا", "الان", "breaking", "breaking news",
            "urgent", "مباشر", "بث مباشر", "live")

COMMENTS = frozenset({"التعليقات", "تعليقات", "تعليقات الموقع", "تعليقات القراء", "تعليقات الزوار",
                      "اضف تعليق", "اضف تعليقك", "اضف تعليقا", "اترك تعليقا", "اترك تعليق", "اترك تعليقك",
                      "اكتب تعليقك", "اكتب تعليقا", "شاركنا رايك", "شارك برايك", "ما رايك", "رايك يهمنا",
                      "comments", "leave a comment", "add a comment", "add comment", "post a comment",
                      "اراء القراء", "ارسل تعليق", "ارسل تعليقك", "التعليق"})
COMMENT_POLICY_WORDS = ("قواعد", "سياسه", "شروط", "يرجي", "نرجو", "مراجعتها", "مراجعه", "لا تعبر",
                        "تعبر عن", "اصحابها", "كاتبها", "الالتزام", "المسيئه", "يحتفظ", "حذف", "نسعد",
                        "policy", "guidelines", "moderat")

# Date vocabulary: months (Gregorian in the Egyptian, Levantine and Maghrebi names, Hijri), days, time
# words. A line of only these and numbers is a bare date or an update stamp.
MONTHS = frozenset(
    """يناير فبراير مارس ابريل مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر كانون شباط اذار
    نيسان ايار حزيران تموز اب ايلول تشرين الثاني الاول الاخر الاخره الاولي ماي يوليوز غشت شتنبر نونبر
    دجنبر جانفي فيفري افريل جوان جويليه اوت محرم صفر ربيع جمادي جماد رجب شعبان رمضان شوال ذو ذي القعده
    الحجه january february march april may june july august september october november december jan
    feb mar apr jun jul aug sep sept oct nov dec""".split()
)
DAYS = frozenset(
    """السبت الاحد الاثنين الثلاثاء الاربعاء الخميس الجمعه سبت احد اثنين ثلاثاء اربعاء خميس جمعه
    saturday sunday monday tuesday wednesday thursday friday sat sun mon tue wed thu fri""".split()
)
TIME_WORDS = frozenset(
    """ص م ه صباحا صباح مساء مساءا ظهرا فجرا ليلا الساعه ساعه ساعات ساعتين دقيقه دقائق دقيقتين ثانيه
    ثواني ثوان يوم ايام يومين اسبوع اسابيع اسبوعين شهر اشهر شهور شهرين سنه سنوات عام منذ قبل بعد بتوقيت
    توقيت غرينتش جرينتش غرينيتش مكه المكرمه القدس بيروت القاهره ابوظبي الرياض بغداد الدوحه gmt utc
    am pm ago hours hour minutes minute days day min mins hrs h في و الموافق موافق هـ م. ه. سا د""".split()
)
STAMP_PREFIXES = ("اخر تحديث", "اخر تعديل", "تم التحديث", "تم تحديثه", "تاريخ التحديث", "محدث",
                  "تحديث", "نشر في", "نشر بتاريخ", "نشر", "تاريخ النشر", "تاريخ", "بتاريخ", "منشور",
                  "نشرت في", "نشر يوم", "published", "updated", "last updated", "posted", "posted on",
                  "published on", "updated on", "on", "date")

# Bylines: above the body, a short line starting with these is the author/date line of the page.
BYLINE = ("كتب", "كتبت", "بقلم", "كتبه", "كتبها", "تحرير", "اعداد", "by", "written by", "author", "الكاتب",
          "المحرر", "مراسل", "تقرير")

# Agency credits and bylines: a short trailing line with these is attribution, kept.
CREDIT_WORDS = ("وكاله", "وكالات", "رويترز", "فرانس برس", "ا.ف.ب", "ا ف ب", "الاناضول", "اسوشيتد",
                "سبوتنيك", "د.ب.ا", "المصدر", "مصدر", "بقلم", "كتب", "كتبت", "تحرير", "اعداد", "ترجمه",
                "مراسل", "مراسلنا", "reuters", "afp", "ap", "source")

# Function words: a line of ordinary prose has some; a label or menu rarely does.
FUNCTION_WORDS = frozenset(
    """في من علي الي عن ان او ثم التي الذي الذين هذا هذه ذلك تلك كما قد لم لن لا ما مع بين حيث بعد
    قبل كان كانت منذ خلال حول ضد عند لدي وفي ومن وعلي والي وان وقال واضاف وتابع واشار واكد وكان""".split()
)
