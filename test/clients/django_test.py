#!/usr/bin/env python3
"""Django 3.2's ORM on the server named by the PG* variables, through psycopg2, as an app uses it:
the schema editor creates the models' tables (foreign keys DEFERRABLE INITIALLY DEFERRED, the
varchar_pattern_ops indexes, unique and check constraints), then the ORM writes and reads them
(create, bulk_create, select_related joins, aggregates, JSON lookups, F() updates, deletes,
constraint errors inside atomic blocks)."""
import os

import django
from django.conf import settings

settings.configure(
    DATABASES={"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ.get("PGDATABASE", "postgres"),
                           "USER": os.environ["PGUSER"], "PASSWORD": os.environ.get("PGPASSWORD", ""),
                           "HOST": os.environ["PGHOST"], "PORT": os.environ["PGPORT"]}},
    INSTALLED_APPS=[], USE_TZ=True, TIME_ZONE="UTC", DEFAULT_AUTO_FIELD="django.db.models.BigAutoField")
django.setup()

from django.db import connection, models, transaction  # noqa: E402
from django.db.models import Count, F, Q, Sum  # noqa: E402

from client_common import expect, finish  # noqa: E402


class Author(models.Model):
    name = models.CharField(max_length=50, unique=True)
    email = models.EmailField(db_index=True)
    joined = models.DateTimeField(auto_now_add=True)
    meta = models.JSONField(default=dict)

    class Meta:
        app_label = "shop"


class Book(models.Model):
    author = models.ForeignKey(Author, on_delete=models.CASCADE, related_name="books")
    title = models.CharField(max_length=100)
    pages = models.PositiveIntegerField(default=100)
    price = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        app_label = "shop"
        constraints = [models.UniqueConstraint(fields=["author", "title"], name="book_author_title")]


with connection.cursor() as c:
    c.execute("DROP TABLE IF EXISTS shop_book")
    c.execute("DROP TABLE IF EXISTS shop_author")
with connection.schema_editor() as editor:
    editor.create_model(Author)
    editor.create_model(Book)

ann = Author.objects.create(name="Ann", email="ann@example.com", meta={"tier": "gold", "tags": ["a", "b"]})
bob = Author.objects.create(name="Bob", email="bob@example.com")
Book.objects.bulk_create([Book(author=ann, title="A1", price="10.50"), Book(author=ann, title="A2", pages=250, price="7.25"),
                          Book(author=bob, title="B1", price="3.00")])
expect("count", Book.objects.count(), 3)
expect("select_related", [(b.title, b.author.name) for b in Book.objects.select_related("author").order_by("title")],
       [("A1", "Ann"), ("A2", "Ann"), ("B1", "Bob")])
expect("aggregate per author",
       list(Book.objects.values("author__name").annotate(n=Count("id"), total=Sum("pages")).order_by("author__name")
            .values_list("author__name", "n", "total")),
       [("Ann", 2, 350), ("Bob", 1, 100)])
expect("json lookup", list(Author.objects.filter(meta__tier="gold").values_list("name", flat=True)), ["Ann"])
expect("json contains", list(Author.objects.filter(meta__contains={"tags": ["b"]}).values_list("name", flat=True)), ["Ann"])
expect("icontains / startswith", list(Author.objects.filter(Q(email__istartswith="BOB") | Q(name__icontains="nn"))
                                      .order_by("name").values_list("name", flat=True)), ["Ann", "Bob"])
Book.objects.filter(author=ann).update(pages=F("pages") + 1)
expect("F() update", sorted(Book.objects.filter(author=ann).values_list("pages", flat=True)), [101, 251])
try:
    with transaction.atomic():
        Book.objects.create(author=bob, title="B1", price="1.00")
    expect("unique constraint", "no error", "IntegrityError")
except django.db.IntegrityError:
    expect("unique constraint", "IntegrityError", "IntegrityError")
try:
    with transaction.atomic():
        Book.objects.create(author_id=999, title="orphan", price="1.00")  # checked at commit (deferred)
    expect("foreign key", "no error", "IntegrityError")
except django.db.IntegrityError:
    expect("foreign key", "IntegrityError", "IntegrityError")
try:
    with transaction.atomic():
        Author.objects.filter(pk=ann.pk).delete()  # its books still refer to it: refused at commit
    expect("delete of a referenced row", "no error", "IntegrityError")
except django.db.IntegrityError:
    expect("delete of a referenced row", "IntegrityError", "IntegrityError")
with transaction.atomic():
    Book.objects.filter(author=ann).delete()
    Author.objects.filter(pk=ann.pk).delete()
expect("after delete", list(Book.objects.values_list("title", flat=True)), ["B1"])
with connection.cursor() as c:
    c.execute("SELECT conname, condeferrable, condeferred FROM pg_constraint WHERE conrelid = 'shop_book'::regclass"
              " AND contype = 'f'")
    fks = c.fetchall()
expect("foreign key is deferrable, initially deferred", [(d, i) for _, d, i in fks], [(True, True)])
with connection.schema_editor() as editor:
    editor.delete_model(Book)
    editor.delete_model(Author)
finish("django")
