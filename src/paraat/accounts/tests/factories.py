from __future__ import annotations

import factory
from django.contrib.auth.models import Group

from paraat.accounts.models import User


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"persoon{n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    first_name = "Fictief"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    is_fictional = True
    password = factory.django.Password("een-lang-testwachtwoord")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            self.groups.set(Group.objects.filter(name__in=extracted))
